"""The open data feed for council BI: read-only JSON of the funder CSV's cells, for bearer tokens."""
