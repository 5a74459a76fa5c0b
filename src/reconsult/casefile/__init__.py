"""The person's case over time: procedures, products and implants, journal, photos, goals.

``schema`` holds the exchange models (lossless JSON export and import),
``tables`` the database tables, ``repository`` the functions that read and
write a case (and re-exports the rest), ``photos`` makes a phone photo safe to
keep, ``photo_store`` adds, serves and removes one photo, ``letters`` makes,
keeps and closes records requests, ``rows`` changes one row of a stored case,
``notes`` says what a journal note must hold, ``open_findings`` keeps the
worrying signs told in notes open until the person closes them, and
``reminders`` works out the dates to look again.
"""
