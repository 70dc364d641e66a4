"""The tables the figures read, derived from the modules that build the figures' SQL.

The figure cache is right only if every write to one of these tables changes the data version
(triggers rendered by inclusion/reports/triggers.py). The list is read off the Table objects and
mapped classes the figure-query modules use, not kept by hand; tests/reports/test_figure_tables.py
runs every cached figure, records the tables its SQL touches, and fails if one is missing here or
has no invalidation trigger in the migrated database.
"""

from types import ModuleType

from sqlalchemy import Table

from inclusion.reports import (
    confidence_figures,
    device_figures,
    follow_up_figures,
    queries,
    signpost_figures,
    skills_levels,
)

# Where the figures' SQL is built (STYLE.md: metrics.py names figures, queries.py runs the SQL).
FIGURE_QUERY_MODULES: tuple[ModuleType, ...] = (
    queries,
    confidence_figures,
    skills_levels,
    follow_up_figures,
    device_figures,
    signpost_figures,
)


def tables_used_by(module: ModuleType) -> set[str]:
    names = set()
    for value in vars(module).values():
        table = value if isinstance(value, Table) else getattr(value, "__table__", None)
        if isinstance(table, Table):
            names.add(table.name)
    return names


FIGURE_TABLES: tuple[str, ...] = tuple(sorted(set().union(*map(tables_used_by, FIGURE_QUERY_MODULES))))
