"""The SMS channel's records: every message in and out, locks on numbers, broadcasts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eom.missions.models import Location, Mission, Person, Team

__all__ = ["Broadcast", "SmsLock", "SmsMessage"]


class Broadcast(models.Model):
    """A text sent to the observers a filter chose; its messages go out through the queue."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(_("text"), max_length=640)
    region = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("region"),
    )
    team_kind = models.CharField(_("team kind"), max_length=10, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("team"),
    )
    n_recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("sent by"),
    )
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)

    class Meta:
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.text[:40]}"


class SmsMessage(models.Model):
    """One SMS, received or to send. An inbound message holds the reply it was answered with."""

    class Direction(models.TextChoices):
        IN = "in", _("received")
        OUT = "out", _("sent")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTIAL = "partial", _("part of a report")
        REJECTED = "rejected", _("rejected")
        DUPLICATE = "duplicate", _("duplicate")
        LOCKED = "locked", _("number locked")
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    number = models.CharField(_("number"), max_length=32, db_index=True)
    text = models.TextField(_("text"))
    digest = models.CharField(max_length=64, blank=True, editable=False)
    gateway_id = models.CharField(_("gateway id"), max_length=100, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("person"),
    )
    submission = models.ForeignKey(
        "observation.Submission", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("submission"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error_kind = models.CharField(_("error"), max_length=32, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    form_id = models.CharField(max_length=64, blank=True)
    location_code = models.CharField(max_length=64, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    broadcast = models.ForeignKey(
        Broadcast, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "gateway_id"], condition=~Q(gateway_id=""),
                name="smsmessage_unique_gateway_id",
            ),
        ]
        indexes = [
            models.Index(fields=["number", "direction", "at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.number} {self.text[:40]}"


class SmsLock(models.Model):
    """A number that failed too often: its messages are refused until `locked_until`."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    locked_until = models.DateTimeField(_("locked until"))
    failures = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        verbose_name = _("locked number")
        verbose_name_plural = _("locked numbers")

    def __str__(self) -> str:
        return f"{self.number} until {self.locked_until:%H:%M}"
