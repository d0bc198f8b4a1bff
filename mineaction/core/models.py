import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core import audit


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A log-in. The person behind it (organisation, roles) is `stakeholders.Person`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email


class BaseModel(models.Model):
    """Every domain record: a public UUID for URLs, timestamps, its creator and an audit trail."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        creating = self._state.adding
        if creating and self.created_by_id is None:
            self.created_by = audit.current_actor()
        with transaction.atomic():
            super().save(*args, **kwargs)
            audit.record_change(
                self,
                AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
                before=None if creating else getattr(self, "_audit_before", None),
            )
        self._audit_before = audit.field_values(self)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            audit.record_change(self, AuditEntry.Action.DELETE, before=audit.field_values(self))
            return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._audit_before = audit.field_values(instance)
        return instance


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")

    timestamp = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    object_repr = models.CharField(_("record"), max_length=200)
    changes = models.JSONField(_("what changed"), default=dict)

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


iso3_validator = RegexValidator(r"^[A-Z]{3}$", _("Enter a three-letter ISO 3166 code in capitals."))
currency_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Enter a three-letter ISO 4217 currency code.")
)


class CountryProfile(BaseModel):
    """The State this deployment serves. There is exactly one; use `CountryProfile.load()`."""

    name = models.CharField(_("State"), max_length=120)
    iso3 = models.CharField(_("ISO 3166 alpha-3 code"), max_length=3, validators=[iso3_validator])
    official_languages = models.JSONField(_("official languages"), default=list, blank=True)
    currency = models.CharField(
        _("base currency"), max_length=3, default="USD", validators=[currency_validator]
    )
    convention_entry_into_force = models.DateField(
        _("Convention entered into force for the State"), null=True, blank=True
    )
    original_article5_deadline = models.DateField(
        _("original Article 5 deadline"), null=True, blank=True
    )
    is_demo = models.BooleanField(_("demonstration data"), default=False)

    class Meta:
        verbose_name = _("country profile")
        verbose_name_plural = _("country profile")

    def __str__(self):
        return self.name

    def clean(self):
        codes = {code for code, _name in settings.LANGUAGES}
        unknown = [code for code in self.official_languages if code not in codes]
        if unknown:
            raise ValidationError(
                {
                    "official_languages": _("Unknown language code: %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                }
            )

    @classmethod
    def load(cls):
        """The profile, or None before the platform has been set up."""
        return cls.objects.order_by("id").first()

    @property
    def article5_deadline(self):
        return self.article5_status()["deadline"]

    def article5_status(self, today=None):
        """The Article 5 deadline in force (the latest extension's, else the original), the days
        left until it and the extensions granted, earliest first. Every page, report and API
        endpoint takes the deadline from here."""
        today = today or timezone.localdate()
        extensions = list(self.deadline_changes.order_by("decided_on", "id"))
        deadline = extensions[-1].new_deadline if extensions else self.original_article5_deadline
        days_left = (deadline - today).days if deadline else None
        return {
            "deadline": deadline,
            "days_left": days_left,
            "days_overdue": -days_left if days_left is not None and days_left < 0 else None,
            "extensions": extensions,
            "extension_count": len(extensions),
        }


class DeadlineChange(BaseModel):
    """An extension of the Article 5 deadline granted by the States Parties."""

    profile = models.ForeignKey(
        CountryProfile, on_delete=models.CASCADE, related_name="deadline_changes"
    )
    new_deadline = models.DateField(_("new deadline"))
    decided_on = models.DateField(_("decided on"))
    decision = models.CharField(
        _("decision"),
        max_length=300,
        help_text=_("For example: Decision of the Twenty-first Meeting of the States Parties."),
    )
    reference_url = models.URLField(_("reference"), blank=True)

    class Meta:
        ordering = ["decided_on", "id"]
        verbose_name = _("Article 5 deadline extension")
        verbose_name_plural = _("Article 5 deadline extensions")

    def __str__(self):
        return f"{self.new_deadline} ({self.decision})"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the secret is stored; it is shown once."""

    PREFIX = "map_"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(secret):
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name, expires_at=None):
        """Create a token and return (token, secret); the secret cannot be recovered later."""
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=cls.hash(secret),
            hint=secret[:8],
            expires_at=expires_at,
        )
        return token, secret

    @classmethod
    def authenticate(cls, secret):
        """The active user owning `secret`, or None."""
        if not secret or not secret.startswith(cls.PREFIX):
            return None
        token = (
            cls.objects.active()
            .select_related("user")
            .filter(key_hash=cls.hash(secret), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now=None):
        """Queued mail whose next attempt is due."""
        now = now or timezone.now()
        return self.filter(status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now)


class OutboundEmail(models.Model):
    """Every email the platform sends goes through this queue, so none is lost when the mail
    server is down: a failed delivery stays queued and is retried with growing delays
    (`mineaction send-queued-mail`, run on a schedule); the secretariat sees what is waiting."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=60, blank=True)
    to = models.JSONField(_("recipients"), default=list)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # [{"filename": ..., "content_type": ..., "data": base64}], and the same for alternatives
    # (an iCalendar invitation is an alternative part with method=REQUEST).
    attachments = models.JSONField(default=list, blank=True)
    alternatives = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
