"""The person's case over time: procedures, products and implants, journal, photos, goals.

``schema`` holds the exchange models (lossless JSON export and import),
``tables`` the database tables, ``repository`` the functions that read and
write a case, and ``photos`` makes a phone photo safe to keep.
"""
