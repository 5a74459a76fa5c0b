"""Documents a person takes away: the records-request letter, the consultation packet, calendar
reminders (.ics) and the FHIR export.

Each is made from a case file or an answer and laid out as text, HTML or a
tagged PDF; none decides anything clinical. ``records_request`` writes the
letter asking a practice for one's records; ``packet`` the pages to bring
to a consultation; ``calendar`` the reminders; ``fhir`` the FHIR R4 bundle;
``printing`` turns HTML into PDF without fetching anything.
"""
