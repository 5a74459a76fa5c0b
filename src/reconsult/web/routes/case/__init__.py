"""The case-file pages under /cases, one module per part of a case.

``case_file``: the list, a new case, its overview, details, delete, import and downloads;
``procedures``, ``products`` (with sites and implants), ``goals`` (and concerns),
``consultations`` (providers seen) and ``journal`` (notes and their answers): the parts of
a case; ``photos``, ``letters`` (records requests), ``vetting`` (checks about a provider);
``sharing`` (server mode): share a case with a clinic and see who opened it.
"""
