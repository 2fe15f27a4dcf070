"""The posts of an observation mission, in the order a mission lists them."""

from __future__ import annotations

from .models import Role

G = Role.Group
# code, English, Russian, Kazakh, group
STANDARD_ROLES = [
    ("head_of_mission", "Head of Mission", "Глава миссии", "Миссия басшысы", G.CORE_TEAM),
    ("deputy_head", "Deputy Head of Mission", "Заместитель главы миссии", "Миссия басшысының орынбасары", G.CORE_TEAM),
    ("election_adviser", "Election Adviser", "Советник по выборам", "Сайлау жөніндегі кеңесші", G.CORE_TEAM),
    ("legal_analyst", "Legal Analyst", "Юридический аналитик", "Құқықтық талдаушы", G.CORE_TEAM),
    ("political_analyst", "Political Analyst", "Политический аналитик", "Саяси талдаушы", G.CORE_TEAM),
    ("media_analyst", "Media Analyst", "Медиааналитик", "Медиа талдаушы", G.CORE_TEAM),
    ("election_analyst", "Election Analyst", "Аналитик по выборам", "Сайлау талдаушысы", G.CORE_TEAM),
    ("statistician", "Statistician", "Статистик", "Статистик", G.CORE_TEAM),
    ("lto_coordinator", "LTO Coordinator", "Координатор ДСН", "ҰМБ үйлестірушісі", G.CORE_TEAM),
    ("security_expert", "Security Expert", "Эксперт по безопасности", "Қауіпсіздік жөніндегі сарапшы", G.CORE_TEAM),
    ("operations_officer", "Operations Officer", "Оперативный сотрудник", "Операциялық қызметкер", G.CORE_TEAM),
    ("special_coordinator", "Special Co-ordinator", "Специальный координатор", "Арнайы үйлестіруші", G.VISITING),
    ("pa_head", "Head of the OSCE PA delegation", "Глава делегации ПА ОБСЕ", "ЕҚЫҰ ПА делегациясының басшысы", G.VISITING),
    ("spokesperson", "Spokesperson", "Пресс-секретарь", "Баспасөз хатшысы", G.VISITING),
    ("lto", "Long-term observer", "Долгосрочный наблюдатель", "Ұзақ мерзімді байқаушы", G.OBSERVER),
    ("sto", "Short-term observer", "Краткосрочный наблюдатель", "Қысқа мерзімді байқаушы", G.OBSERVER),
    ("interpreter", "Interpreter", "Переводчик", "Аудармашы", G.SUPPORT),
    ("driver", "Driver", "Водитель", "Жүргізуші", G.SUPPORT),
]


def ensure_roles() -> dict[str, Role]:
    """Create the standard roles that are missing; returns every role by code."""
    existing = {role.code: role for role in Role.objects.all()}
    missing = [
        Role(code=code, name_en=en, name_ru=ru, name_kk=kk, group=group, order=order)
        for order, (code, en, ru, kk, group) in enumerate(STANDARD_ROLES, start=1)
        if code not in existing
    ]
    Role.objects.bulk_create(missing)
    return {role.code: role for role in Role.objects.all()}
