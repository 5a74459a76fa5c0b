"""Shaping shared knowledge for the pages: provider listings, timelines, numbers to call.

``providers`` puts directory providers into words (specialties, distances, the checklist);
``timeline`` lays out a procedure's healing timeline as a picture and as sentences (the
guides and the result page); ``calls`` lists the numbers to call, the person's own
emergency number first (every page, through the templates).
"""
