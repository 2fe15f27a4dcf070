"""The ways a report reaches eom, one module each: thin adapters that turn what the channel
received into a plain `services.SubmissionInput`, store it through the one ingestion path
(`batch.ingest_submissions`; `services.ingest_submission` for one report), and answer in the
channel's own format.

- `page`: the checklist page's form post (answered with a page: the report sent, or the form
  again with the reasons);
- `api`: the JSON API's `/api/submissions` and `/api/submissions/batch` (answered in JSON). The
  offline app has no channel module of its own: its outbox posts to the JSON API and says so in
  `X-Eom-Client`, and the report is recorded with the channel "offline";
- `sms`: the SMS gateways' webhooks (answered with an SMS reply, `sms_replies`), the message
  log and broadcasts;
- `openrosa`: ODK Collect (OpenRosa 1.0: form list, XForm, submission; answered in OpenRosa XML).

What a channel reads (the XLSForm workbook, the SMS syntax, the XForm and its instances) is pure
and lives in `eom.xlsform`. Each channel's addresses are in `urls.py` (page), `eom.api` (api),
`sms_urls` and `openrosa_urls`.
"""
