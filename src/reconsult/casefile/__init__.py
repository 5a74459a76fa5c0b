"""The person's case over time: procedures, products and implants, journal, photos, goals.

``schema`` holds the exchange models (lossless JSON export and import), one
module per part of a case; ``tables`` the database tables; ``mapping`` the one
place that turns a model into its row and back. ``repository`` re-exports
every function that reads or writes a stored case: ``case_store`` reads and
writes a whole case, ``journal`` adds notes and closes the signs they left
open, ``transfer`` exports and imports a case. ``photos`` makes a phone photo
safe to keep, ``photo_store`` adds, serves and removes one photo, ``letters``
makes, keeps and closes records requests, ``vetting`` keeps what the person
checked about a provider, ``rows`` changes one row of a stored case,
``notes`` says what a journal note must hold, ``open_findings`` keeps the
worrying signs told in notes open until the person closes them, and
``reminders`` works out the dates to look again.
"""
