"""Case-file pages: their forms, what they share, and how a case is shown.

``forms`` draws and reads a form from its field specs, and ``fields`` says what each form
asks; ``pages`` is what every case page shares (finding the case, showing a form, saving
a change); ``view`` shapes a case for its overview (products in words, urgency over time)
and ``open_findings`` the signs still open on the note form and the overview. The routes
are in :mod:`reconsult.web.routes.case`.
"""
