"""IATI activity files: reading them (`parser`), choosing the mine action activities
(`selection`) and importing them with their derived pledges and disbursements (`importer`)."""

from mineaction.funding.iati.importer import import_iati

__all__ = ["import_iati"]
