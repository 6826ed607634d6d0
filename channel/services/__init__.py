"""Every write in Channel, one module per sub-domain; import each service from its module.

Keyword-only, one transaction each, audited. Errors are those of ``prevent_cms.errors``:
``GuardFailed`` (400, naming the field), ``ActionForbidden`` (403), ``TransitionNotAllowed``
(409); an object outside the caller's scope raises its model's ``DoesNotExist`` (404).
"""
