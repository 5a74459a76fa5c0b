"""What each case-file form asks, as lists of field specs, one module per kind of form.

``treatment``: the procedure, its products, where each went, and implants; ``notes``: a
journal note, what became of a sign still open, goals, concerns and providers seen;
``records``: the person's details, photos, records-request letters, importing a case file,
and the checks made about a provider. Choices that are data (procedures, places,
examples) come from the knowledge base.
"""
