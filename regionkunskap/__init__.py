"""The bottom layer every stage imports: the one `Settings` object and the error hierarchy.

Data and imports flow one way — corpus → ingest → store → assistant → evals — and this package sits
under all of them, so a setting or an error means the same thing in every stage.
"""
