"""The guided assessment pages under /assessment.

``questions``: start, any emergency sign now, the procedure, when, the person's own
words; ``answers``: the danger questions, check your answers, the result and its
reminder. ``navigation`` is what both share: each page's address, which page may be
shown, and moving on to the next one still to answer.
"""
