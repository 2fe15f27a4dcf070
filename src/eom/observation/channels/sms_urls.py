"""The SMS channel under /sms/: gateway webhooks, the message log and broadcasts."""

from django.urls import path

from . import sms

app_name = "sms"
urlpatterns = [
    path("", sms.message_log, name="log"),
    path("broadcast/", sms.broadcast, name="broadcast"),
    path("inbound/", sms.inbound, name="inbound"),
    path("twilio/", sms.twilio, name="twilio"),
]
