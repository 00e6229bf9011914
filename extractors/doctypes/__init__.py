"""extractors/doctypes"""
