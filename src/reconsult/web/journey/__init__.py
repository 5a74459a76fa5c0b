"""The guided assessment: the questions one page at a time, and the answer.

``steps`` holds the answers so far and decides which page comes next (pure, no web);
``forms`` reads and checks each question page's form; ``drafts_cookie`` keeps unfinished
answers between pages; ``emergency_view`` and ``result_view`` shape the emergency screen
and the result page (the case journal shows its answers with ``result_view`` too). The
pages themselves are in :mod:`reconsult.web.routes.assessment`.
"""
