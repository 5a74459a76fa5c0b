"""Tests of the provider directory and its synthetic NPPES data."""
