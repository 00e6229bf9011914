"""extractors/parsers"""
