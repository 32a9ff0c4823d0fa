"""Core pages: home, sign-in, workbench, organisations, staff, audit trail, tokens (thin: parse → query/service → render).

Access: guards.py says who may open a page at all; core.access (through core.queries) decides what they see;
a DomainError escaping a view becomes its page in errors.DomainErrorPageMiddleware.
"""
