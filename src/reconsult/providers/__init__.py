"""Find and vet providers: the NPPES directory, ZIP locations, distance search, specialty fit.

The directory is imported from the CMS NPPES data dissemination file
(:mod:`reconsult.providers.nppes_import`), searched by distance from a ZIP
code and ranked by how well a listed specialty fits the procedure
(:mod:`reconsult.providers.search`). Which specialties fit which procedure,
the vetting checklist and the red flags are knowledge-base data.
"""
