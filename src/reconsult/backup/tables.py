"""Every table module, imported, so ``Base.metadata`` lists the whole schema.

Each capability package declares its own tables on the shared
:class:`~reconsult.storage.models.Base`; a table is in the metadata only once
its module has been imported. Backup and restore walk every table, so they
import this module first and no table is missed because nothing else happened
to import it. It lives here, above every capability, so that ``storage``
itself knows none of them. (The migrations do not need it: each one says
what it changes. To draft a new migration with Alembic's autogenerate, import
this module in the environment first.)
"""

from __future__ import annotations

from reconsult.accounts import tables as accounts_tables
from reconsult.casefile import tables as casefile_tables
from reconsult.providers import directory_tables
from reconsult.storage import models

__all__ = ["TABLE_MODULES", "metadata"]

# users, sessions, clinics, shares, audit log; case files, photos, journal...;
# the provider directory; journey drafts.
TABLE_MODULES = (accounts_tables, casefile_tables, directory_tables, models)
metadata = models.Base.metadata
