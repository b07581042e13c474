"""The default bank of 360 questions: written by us, for HR to start a cycle from and to pick
from in the question editor. Rating questions are answered on a scale of 1 to 5 whose points
carry words (`FREQUENCY`); open questions are answered in words.

A question taken from the bank is copied into the cycle in the language of the person who
takes it (the strings are translatable); the cycle then owns its copy, which HR may change.
With a competency framework, the copy names the framework's competency by its key, where the
framework has it (`feedback.competencies.bank_competency`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from feedback.models import QuestionKind

# How often the reviewer sees the behaviour: one word or two per point, 1 to 5.
FREQUENCY: tuple[Promise, ...] = (
    _("Rarely"),
    _("Sometimes"),
    _("Often"),
    _("Very often"),
    _("Nearly always"),
)


@dataclass(frozen=True)
class BankQuestion:
    key: str  # stable, for forms: "communication-explains"
    text: Promise
    kind: str
    competency: Promise | str = ""
    scale: tuple[Promise, ...] = ()
    # The key of its competency in our starter framework (Growth), to name that competency
    # when the organisation's framework has it (`feedback.competencies.bank_competency`).
    framework_key: str = ""

    @property
    def scale_labels(self) -> list[str]:
        return [str(label) for label in self.scale]

    @property
    def kind_label(self) -> str:
        return str(QuestionKind(self.kind).label)


BANK: tuple[BankQuestion, ...] = (
    BankQuestion(
        "communication-explains",
        _("Explains ideas and decisions so that others can act on them."),
        QuestionKind.RATING,
        _("Communication"),
        FREQUENCY,
        framework_key="communication",
    ),
    BankQuestion(
        "communication-listens",
        _("Listens to understand, also when the other person sees things differently."),
        QuestionKind.RATING,
        _("Communication"),
        FREQUENCY,
        framework_key="communication",
    ),
    BankQuestion(
        "collaboration-shares",
        _("Shares what they know and helps colleagues who are stuck."),
        QuestionKind.RATING,
        _("Collaboration"),
        FREQUENCY,
        framework_key="collaboration",
    ),
    BankQuestion(
        "collaboration-across",
        _("Works well with people outside their own team."),
        QuestionKind.RATING,
        _("Collaboration"),
        FREQUENCY,
        framework_key="collaboration",
    ),
    BankQuestion(
        "ownership-commitments",
        _("Does what they said they would, or says early when they cannot."),
        QuestionKind.RATING,
        _("Ownership"),
        FREQUENCY,
        framework_key="ownership",
    ),
    BankQuestion(
        "ownership-priorities",
        _("Spends their time on what matters most for the team."),
        QuestionKind.RATING,
        _("Ownership"),
        FREQUENCY,
        framework_key="ownership",
    ),
    BankQuestion(
        "growth-feedback",
        _("Asks for feedback and does something with it."),
        QuestionKind.RATING,
        _("Growth"),
        FREQUENCY,
        framework_key="learning",
    ),
    BankQuestion(
        "growth-others",
        _("Helps others learn, by teaching, pairing or giving useful feedback."),
        QuestionKind.RATING,
        _("Growth"),
        FREQUENCY,
        framework_key="developing-people",
    ),
    BankQuestion(
        "open-keep",
        _("What is one thing this person should keep doing?"),
        QuestionKind.OPEN,
    ),
    BankQuestion(
        "open-change",
        _("What is one thing this person could do differently to have more impact?"),
        QuestionKind.OPEN,
    ),
    BankQuestion(
        "open-else",
        _("Is there anything else you would like this person to know?"),
        QuestionKind.OPEN,
    ),
)
BY_KEY = {question.key: question for question in BANK}
