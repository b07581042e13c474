"""The Cadence CSV and an HR system's export are read by the same code where they share a rule
(`people.importing`: size, empty, not text, not CSV, too many rows, a row wider than its
header, no rows): the import page refuses a broken file in the same words whichever format it
was uploaded as."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from people import importing

IMPORT = reverse("people:import")
CADENCE = "email,name\n"
BAMBOOHR = "Work Email,First Name,Last Name\n"


def upload(client, content: bytes, system: str):
    file = SimpleUploadedFile("people.csv", content, "text/csv")
    return client.post(IMPORT, {"format": system, "file": file})


BROKEN = {
    "empty": (lambda header: b"", "The file is empty."),
    "not text": (lambda header: header.encode() + b"a\x00b,c,d\n", "The file is not a CSV file."),
    "too large": (
        lambda header: header.encode() + b"x" * importing.MAX_BYTES,
        "The file is larger than 5 MB",
    ),
    "too many rows": (
        lambda header: (header + "a@example.com,A,B\n" * (importing.MAX_ROWS + 1)).encode(),
        "The file has more than 20,000 rows",
    ),
    "not CSV": (
        lambda header: (header + "a@example.com," + "x" * 200_000 + ",B\n").encode(),
        "the file cannot be read as CSV",
    ),
    "wider than its header": (
        lambda header: (header + "a@example.com,A,B,extra,more\n").encode(),
        "This row has more values than the header has columns.",
    ),
    "no rows": (lambda header: header.encode(), "The file has a header but no rows"),
}


@pytest.mark.parametrize("problem", BROKEN)
def test_a_broken_file_is_refused_in_the_same_words_as_either_format(login, cast, problem):
    make, words = BROKEN[problem]
    client = login(cast.erin)
    for system, header in (("cadence", CADENCE), ("bamboohr", BAMBOOHR)):
        response = upload(client, make(header), system)
        assert response.status_code == 400, (problem, system)
        assert words in response.text, (problem, system)
