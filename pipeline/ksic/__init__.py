"""KSIC (한국표준산업분류): import of the official files, validation, and code conversion."""
