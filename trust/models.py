"""The organisation's trust settings and the audit log of changes made with authority."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

PERSON = settings.AUTH_USER_MODEL


class TrustSettings(models.Model):
    """The organisation's retention periods (one row)."""

    access_log_months = models.PositiveSmallIntegerField(
        _("keep the access log for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Entries older than this are removed every night."),
    )
    erase_after_months = models.PositiveSmallIntegerField(
        _("anonymise people who left after (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Counted from the leave date. A legal hold on a person keeps their data until it "
            "is lifted."
        ),
    )

    class Meta:
        verbose_name = _("trust settings")
        verbose_name_plural = _("trust settings")

    def __str__(self) -> str:
        return str(_("Trust settings"))

    @classmethod
    def load(cls) -> TrustSettings:
        return cls.objects.get_or_create(pk=1)[0]


class AppendOnly(Exception):
    """Raised by code that would change or delete an audit entry (`trust.audit` only appends,
    and blanks values when a person is erased)."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never deleted.")

    def update(self, **kwargs: Any) -> int:
        # Blanking `changes` for an erasure (`trust.audit.redact`) is the one change allowed,
        # and `verify` asks a redaction entry of every entry so blanked.
        if set(kwargs) != {"changes", "redacted"}:
            raise AppendOnly("Audit entries are never changed, only redacted.")
        return super().update(**kwargs)


class AuditEntry(models.Model):
    """One change made with authority: who, when, what, about whom, before and after.

    Append-only and tamper-evident (`trust.audit`): `hash` covers the entry and the previous
    entry's hash, and `prev_hash` is unique, so the entries form one chain that cannot fork and
    whose every link `manage.py verify_audit` checks. `changes` may be redacted when the person
    it names is erased; `payload_hash` keeps the hash of what it said, so the chain still holds.
    People are referenced by id without a database constraint: an entry outlives everything.
    Through the ORM an entry is only added (saving a stored one, deleting, updating other
    fields raise `AppendOnly`).
    """

    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        PERSON,
        verbose_name=_("by"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, db_index=True)
    subject = models.ForeignKey(
        PERSON,
        verbose_name=_("about"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    target = models.CharField(_("object"), max_length=100, blank=True)
    changes = models.JSONField(_("changes"), default=dict)
    redacted = models.BooleanField(default=False)
    payload_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]
        indexes = [models.Index(fields=["subject", "-id"], name="audit_subject_newest")]

    objects = AuditQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit entries are never changed, only redacted.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never deleted.")


class AuditHead(models.Model):
    """Where the audit log's chain ends: how many entries it holds and the last one's hash.

    One row, moved on with every entry in the same transaction (`trust.audit.record`): its row
    lock orders the writers, and `verify` checks that the chain ends here, so deleting the
    newest entries is caught unless this row is rewritten to match. Against someone who can
    rewrite both, keep a copy of it elsewhere (`manage.py verify_audit --head`).
    """

    count = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    entry_id = models.BigIntegerField(null=True)  # the last entry's

    class Meta:
        verbose_name = _("audit log head")

    def __str__(self) -> str:
        return f"{self.count} {self.hash}"


# --- Export of a person's data -------------------------------------------------------------------


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    BUILDING = "building", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


IN_PROGRESS = (ExportStatus.QUEUED, ExportStatus.BUILDING)


class DataExportManager(models.Manager["DataExport"]):
    def get_queryset(self) -> models.QuerySet[DataExport]:
        # The file is read only to download it: polling or listing an export never loads it.
        return super().get_queryset().defer("content")


class DataExport(models.Model):
    """A person's export of everything about them that they may see: a ZIP built in the
    background (`trust.exporting`), downloaded by them alone until `expires_at`.

    One per person (a new one replaces the last), so only one is ever being built for them.
    The file is kept in this row, not on disk: the app's processes and the worker may run on
    different machines in front of the one database, backups stay the database alone, and the
    file is deleted with its row (`manage.py prune_exports`). A person's text data zips to a few
    megabytes; `trust.exporting.MAX_BYTES` bounds it.
    """

    person = models.OneToOneField(PERSON, on_delete=models.CASCADE, related_name="data_export")
    language = models.CharField(max_length=10)  # of the README and labels
    status = models.CharField(max_length=10, choices=ExportStatus.choices)
    kinds_done = models.PositiveSmallIntegerField(default=0)
    kinds_total = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    size = models.PositiveBigIntegerField(default=0)  # bytes
    content = models.BinaryField(default=b"", editable=False)

    objects = DataExportManager()

    class Meta:
        verbose_name = _("export of personal data")
        verbose_name_plural = _("exports of personal data")

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.READY:
            return 100
        return int(100 * self.kinds_done / self.kinds_total) if self.kinds_total else 0

    def is_downloadable(self, now: datetime) -> bool:
        return (
            self.status == ExportStatus.READY
            and self.expires_at is not None
            and self.expires_at > now
        )


class AccessLogEntry(models.Model):
    """Someone was shown personal data of someone else: who, what (the kind and the item, or a
    list of how many), when, and how (a page, the API, an export). Written by
    `trust.access_log` at the end of each request, from the reads `access.rules` noted.

    Nobody changes an entry: no page, API or admin offers it, and a database trigger refuses
    any UPDATE. Entries older than the retention period are deleted by `prune_access_log`.
    People are referenced by id without a database constraint, as in the audit log: an entry
    outlives what it names.
    """

    class Channel(models.TextChoices):
        PAGE = "page", _("on a page")
        API = "api", _("through the API")
        EXPORT = "export", _("in an export")
        EMAIL = "email", _("in an e-mail")

    at = models.DateTimeField(_("when"))
    viewer = models.ForeignKey(
        PERSON,
        verbose_name=_("who"),
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    subject = models.ForeignKey(
        PERSON,
        verbose_name=_("whose data"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    kind = models.CharField(_("kind of data"), max_length=60)  # an `access.catalogue` key
    # The object shown; None for a list, of `count` items.
    item = models.BigIntegerField(_("item"), null=True, blank=True)
    count = models.PositiveIntegerField(_("items"), default=1)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices)
    path = models.CharField(_("where"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        # Two indexes only: every page that shows someone's data writes here, and each index
        # adds to that write (two more, by kind and by viewer, made it 30 % slower on SQLite).
        # A person's log, newest first, keyset paged, is read from the first; its filters (kind,
        # who, how, when) narrow that one person's few hundred or thousand entries as they are
        # read, a page at a time.
        indexes = [
            models.Index(fields=["subject", "-at", "-id"], name="access_log_subject_newest"),
            # The retention period's pruning, oldest first.
            models.Index(fields=["at"], name="access_log_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
