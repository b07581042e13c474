"""What erasure (`trust.erasure`) does to the access module's data: an HR role of the person
goes (the admin's history of it names them, and says "A former employee" afterwards)."""

from django.db.models import Q

from access.models import HRRole
from trust.erasure import Delete, register

register(Delete(HRRole, lambda pk: Q(person=pk)))
