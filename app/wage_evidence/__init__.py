"""Wage-arrears evidence from an enterprise's own payroll and attendance sheets (issue 14).

``sheets`` opens files, ``cells`` reads values, ``columns`` finds headers and guesses fields, ``loading`` turns
mapped sheets into worker-month records with a per-row report, ``evidence`` runs the pure rules of
:mod:`core.wage_rules` and keeps the result, ``profiles`` remembers each enterprise's mapping.
Below the domain services (no Qt, no audit logic): :mod:`app.audit.wage_checks` attaches a check to an audit.
"""
