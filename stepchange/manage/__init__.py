"""The regional commissioner's management pages: grants, targets, pathways, users, published
figures and probation return dates. Each write goes through a service of this package (or of
``accounts.services`` for users); who may reach a page is decided in ``manage.access``.
"""
