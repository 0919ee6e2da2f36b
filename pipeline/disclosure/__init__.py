"""Disclosure control for published tables: primary rules, complementary suppression, marking.

Primary rules (which cells are sensitive) are kept apart from the secondary-suppression engine
(which cells must also be hidden so the sensitive ones cannot be derived), as in SSB
GaussSuppression and tau-ARGUS.
"""
