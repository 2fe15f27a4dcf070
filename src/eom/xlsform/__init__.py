"""The XLSForm language as eom reads it: pure (no Django import), plain values in and out.

- reader: a checklist workbook (.xlsx) into eom's form definition, every problem named by
  sheet, row and column;
- expressions: the subset of XLSForm (ODK XPath) expressions eom parses and evaluates;
- coding: choice answers as fixed-width codes, counted in numpy;
- sms_syntax: the SMS report syntax, a parser and its inverse;
- xform: the XForm ODK Collect downloads, and the filled instance it sends back;
- wording: the readers' messages, which a page translates with Django's gettext.

The channels and the observation app (Django) build on these; nothing here imports them.
"""
