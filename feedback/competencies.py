"""The competency a 360 question is about.

When the organisation has a published competency framework (Growth), a question names one of
its competencies by its stable key, as feedback does (`Feedback.competency`): HR chooses it in
the question editor, and the report groups the questions by it. Pages show the competency's
name as the current version has it (a rename shows everywhere at once, old cycles included):
`with_competency_names` annotates the questions with it in their own query.

Without a framework HR writes the competency as text, which pages show as written; so are
questions written before there was a framework (text that is no key of it stays text, and
needs no migration), and questions of our bank about a competency the framework lacks.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from feedback.models import ReviewQuestion
from feedback.question_bank import BankQuestion
from growth.queries import competency_name

# A framework's competencies as (key, name), in its order: `growth.queries.competency_choices`.
Choices = Sequence[tuple[str, str]]


def with_competency_names(questions: QuerySet[ReviewQuestion]) -> QuerySet[ReviewQuestion]:
    """The questions with the current name of the competency they name by key, for
    `ReviewQuestion.competency_name` (no query more)."""
    return questions.annotate(framework_name=competency_name("competency"))


def competency_errors(value: str, framework: Choices, kept: str = "") -> list[tuple[str, str]]:
    """With a framework, a question is about one of its competencies (by key), about none, or
    about what it was about already (`kept`: text from before the framework, or a competency
    retired since), which HR may leave as it is. Without one, any text (checked by
    `feedback.cycles.question_errors`)."""
    value = value.strip()
    if not framework or not value or value == kept.strip():
        return []
    if value in dict(framework):
        return []
    return [("competency", _("Choose a competency of the framework."))]


def bank_competency(question: BankQuestion, framework: Choices) -> str:
    """What a question of our bank is about, as a cycle stores it: with a framework, the key of
    its competency there (the starter framework's key, else the competency of the same name);
    otherwise, and when the framework has no such competency, its name in the reader's
    language."""
    name = str(question.competency)
    if not name or not framework:
        return name
    keys = dict(framework)
    if question.framework_key in keys:
        return question.framework_key
    by_name = {title.casefold(): key for key, title in framework}
    return by_name.get(name.casefold(), name)
