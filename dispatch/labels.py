"""Words for every code a person sees (statuses, kinds, channels, carriers, reasons, roles, job states) in ru, kk and en.

Codes stay in the database, the API's fields and the logs; pages, the PDF manifest and SMS show
these words instead. One catalogue, so the same status reads the same on every page. Each kind
lists every value of its enum (a test checks that, and that every language has every word).
"""

from __future__ import annotations

import typing as t
from enum import StrEnum

from dispatch.domain import statuses
from integrations.yandex.models import ClaimStatus

Words = dict[str, str]
"""One code's words by language (``ru``, ``kk``, ``en``)."""

LABELS: dict[str, dict[str, Words]] = {
    "request_status": {
        "received": {"ru": "Получена", "kk": "Қабылданды", "en": "Received"},
        "validated": {"ru": "Проверена", "kk": "Тексерілді", "en": "Checked"},
        "rejected": {"ru": "Отклонена", "kk": "Қабылданбады", "en": "Refused"},
        "scheduled": {"ru": "Назначен день", "kk": "Күні белгіленді", "en": "Day set"},
        "planned": {"ru": "В маршруте", "kk": "Маршрутқа қосылды", "en": "On a route"},
        "dispatched": {"ru": "Передана курьеру", "kk": "Курьерге берілді", "en": "With the courier"},
        "in_transit": {"ru": "Курьер в пути", "kk": "Курьер жолда", "en": "Courier on the way"},
        "delivered": {"ru": "Доставлена", "kk": "Жеткізілді", "en": "Delivered"},
        "collected": {"ru": "Книги забраны", "kk": "Кітаптар алынды", "en": "Books collected"},
        "returned": {"ru": "Книги в библиотеке", "kk": "Кітаптар кітапханада", "en": "Books back at the library"},
        "failed": {"ru": "Не удалось", "kk": "Орындалмады", "en": "Not done"},
        "cancelled": {"ru": "Отменена", "kk": "Тоқтатылды", "en": "Cancelled"},
    },
    "reader_request_status": {
        "received": {"ru": "Получена", "kk": "Қабылданды", "en": "Received"},
        "validated": {"ru": "Проверена", "kk": "Тексерілді", "en": "Checked"},
        "rejected": {"ru": "Не может быть выполнена", "kk": "Орындау мүмкін емес", "en": "Cannot be done"},
        "scheduled": {
            "ru": "Принята, ждёт своего дня",
            "kk": "Қабылданды, өз күнін күтуде",
            "en": "Accepted, waiting for its day",
        },
        "planned": {
            "ru": "Запланирована: маршрут курьера готов",
            "kk": "Жоспарланды: курьердің бағыты дайын",
            "en": "Planned: the courier's route is ready",
        },
        "dispatched": {"ru": "Передана курьеру", "kk": "Курьерге тапсырылды", "en": "Handed to the courier"},
        "in_transit": {"ru": "Курьер в пути", "kk": "Курьер жолда", "en": "The courier is on the way"},
        "delivered": {"ru": "Доставлена", "kk": "Жеткізілді", "en": "Delivered"},
        "collected": {"ru": "Книги забраны", "kk": "Кітаптар алынды", "en": "Books collected"},
        "returned": {
            "ru": "Книги возвращены в библиотеку",
            "kk": "Кітаптар кітапханаға қайтарылды",
            "en": "Books returned to the library",
        },
        "failed": {"ru": "Курьер не смог Вас застать", "kk": "Курьер Сізді таба алмады", "en": "The courier could not reach you"},
        "cancelled": {"ru": "Отменена", "kk": "Болдырылмады", "en": "Cancelled"},
    },
    "request_kind": {
        "delivery": {"ru": "Доставка книг", "kk": "Кітап жеткізу", "en": "Delivery"},
        "return_pickup": {"ru": "Возврат книг", "kk": "Кітаптарды қайтару", "en": "Return pickup"},
    },
    "channel": {
        "web": {"ru": "Сайт", "kk": "Сайт", "en": "Website"},
        "operator": {"ru": "Оператор", "kk": "Оператор", "en": "Operator"},
        "phone": {"ru": "Телефонное меню", "kk": "Телефон мәзірі", "en": "Phone menu"},
        "api": {"ru": "Приложение", "kk": "Қосымша", "en": "App"},
        "standing_order": {"ru": "Регулярный визит", "kk": "Тұрақты келу", "en": "Standing order"},
        "system": {"ru": "Система", "kk": "Жүйе", "en": "System"},
    },
    "item_status": {
        "available": {"ru": "На полке", "kk": "Сөреде", "en": "On the shelf"},
        "on_loan": {"ru": "Выдана", "kk": "Берілген", "en": "On loan"},
        "not_for_loan": {"ru": "Не выдаётся на дом", "kk": "Үйге берілмейді", "en": "Not for loan"},
        "in_transit": {"ru": "В пути между библиотеками", "kk": "Кітапханалар арасында жолда", "en": "In transit"},
        "lost": {"ru": "Утеряна", "kk": "Жоғалған", "en": "Lost"},
        "withdrawn": {"ru": "Списана", "kk": "Есептен шығарылған", "en": "Withdrawn"},
    },
    "staff_role": {
        "admin": {"ru": "Администратор", "kk": "Әкімші", "en": "Administrator"},
        "dispatcher": {"ru": "Диспетчер", "kk": "Диспетчер", "en": "Dispatcher"},
        "operator": {"ru": "Оператор", "kk": "Оператор", "en": "Operator"},
        "courier": {"ru": "Курьер", "kk": "Курьер", "en": "Courier"},
    },
    "courier_kind": {
        "staff": {"ru": "Сотрудник", "kk": "Қызметкер", "en": "Staff"},
        "volunteer": {"ru": "Волонтёр", "kk": "Ерікті", "en": "Volunteer"},
    },
    "carrier": {
        "in_house": {"ru": "Курьер библиотеки", "kk": "Кітапхана курьері", "en": "Library courier"},
        "yandex": {"ru": "Яндекс Доставка", "kk": "Яндекс Жеткізу", "en": "Yandex Delivery"},
    },
    "route_status": {
        "draft": {"ru": "Готовится", "kk": "Дайындалуда", "en": "Being prepared"},
        "dispatched": {"ru": "Передан курьеру", "kk": "Курьерге берілді", "en": "With the courier"},
        "in_progress": {"ru": "В пути", "kk": "Жолда", "en": "Under way"},
        "completed": {"ru": "Завершён", "kk": "Аяқталды", "en": "Completed"},
        "superseded": {"ru": "Заменён новой версией", "kk": "Жаңа нұсқамен ауыстырылды", "en": "Replaced by a new version"},
        "cancelled": {"ru": "Отменён", "kk": "Тоқтатылды", "en": "Cancelled"},
    },
    "stop_outcome": {
        "delivered": {"ru": "Доставлено", "kk": "Жеткізілді", "en": "Delivered"},
        "collected": {"ru": "Книги забраны", "kk": "Кітаптар алынды", "en": "Collected"},
        "failed": {"ru": "Не удалось", "kk": "Орындалмады", "en": "Not done"},
    },
    "failure_reason": {
        "not_at_home": {"ru": "Читателя нет дома", "kk": "Оқырман үйде жоқ", "en": "Reader not at home"},
        "wrong_address": {"ru": "Неверный адрес", "kk": "Мекенжай қате", "en": "Wrong address"},
        "refused": {"ru": "Читатель отказался", "kk": "Оқырман бас тартты", "en": "Reader refused"},
        "no_access": {"ru": "Нет доступа в дом", "kk": "Үйге кіру мүмкін болмады", "en": "No access to the building"},
        "books_not_ready": {"ru": "Книги не готовы", "kk": "Кітаптар дайын емес", "en": "Books not ready"},
        "other": {"ru": "Другая причина", "kk": "Басқа себеп", "en": "Other reason"},
    },
    "sms_event": {
        "request_accepted": {"ru": "Заявка принята", "kk": "Өтінім қабылданды", "en": "Request accepted"},
        "request_rejected": {"ru": "Заявка отклонена", "kk": "Өтінім қабылданбады", "en": "Request refused"},
        "delivery_planned": {"ru": "Доставка назначена", "kk": "Жеткізу белгіленді", "en": "Delivery planned"},
        "courier_on_the_way": {"ru": "Курьер в пути", "kk": "Курьер жолда", "en": "Courier on the way"},
        "delivered": {"ru": "Книги доставлены", "kk": "Кітаптар жеткізілді", "en": "Books delivered"},
        "attempt_failed": {"ru": "Не удалось доставить", "kk": "Жеткізу мүмкін болмады", "en": "Delivery attempt failed"},
        "return_scheduled": {"ru": "Возврат назначен", "kk": "Қайтару белгіленді", "en": "Return pickup planned"},
        "return_tomorrow": {"ru": "Возврат завтра", "kk": "Қайтару ертең", "en": "Return pickup tomorrow"},
        "opted_out": {"ru": "Отказ от SMS", "kk": "SMS-тен бас тарту", "en": "SMS turned off"},
        "sign_in_code": {"ru": "Код для входа", "kk": "Кіру коды", "en": "Sign-in code"},
    },
    "sms_status": {
        "queued": {"ru": "В очереди", "kk": "Кезекте", "en": "Queued"},
        "accepted": {"ru": "Принято", "kk": "Қабылданды", "en": "Accepted"},
        "scheduled": {"ru": "Запланировано", "kk": "Жоспарланды", "en": "Scheduled"},
        "sending": {"ru": "Отправляется", "kk": "Жіберілуде", "en": "Sending"},
        "sent": {"ru": "Отправлено", "kk": "Жіберілді", "en": "Sent"},
        "delivered": {"ru": "Доставлено", "kk": "Жеткізілді", "en": "Delivered"},
        "undelivered": {"ru": "Не доставлено", "kk": "Жеткізілмеді", "en": "Undelivered"},
        "failed": {"ru": "Ошибка отправки", "kk": "Жіберу қатесі", "en": "Failed"},
        "canceled": {"ru": "Отменено", "kk": "Болдырылмады", "en": "Canceled"},
        "partially_delivered": {"ru": "Доставлено частично", "kk": "Ішінара жеткізілді", "en": "Partly delivered"},
        "read": {"ru": "Прочитано", "kk": "Оқылды", "en": "Read"},
    },
    "job_state": {
        "queued": {"ru": "В очереди", "kk": "Кезекте", "en": "Queued"},
        "running": {"ru": "Выполняется", "kk": "Орындалуда", "en": "Running"},
        "retrying": {"ru": "Повторная попытка", "kk": "Қайта әрекет", "en": "Retrying"},
        "succeeded": {"ru": "Готово", "kk": "Дайын", "en": "Done"},
        "failed": {"ru": "Ошибка", "kk": "Қате", "en": "Failed"},
    },
    "claim_status": {
        "booking": {"ru": "Заказывается", "kk": "Тапсырыс берілуде", "en": "Being booked"},
        "new": {"ru": "Создана", "kk": "Құрылды", "en": "Created"},
        "estimating": {"ru": "Считается цена", "kk": "Бағасы есептелуде", "en": "Pricing"},
        "estimating_failed": {"ru": "Цену не посчитать", "kk": "Бағасын есептеу мүмкін болмады", "en": "Pricing failed"},
        "ready_for_approval": {"ru": "Ждёт подтверждения", "kk": "Растауды күтуде", "en": "Awaiting approval"},
        "accepted": {"ru": "Подтверждена", "kk": "Расталды", "en": "Accepted"},
        "performer_lookup": {"ru": "Ищется водитель", "kk": "Жүргізуші ізделуде", "en": "Finding a driver"},
        "performer_draft": {"ru": "Ищется водитель", "kk": "Жүргізуші ізделуде", "en": "Finding a driver"},
        "performer_found": {
            "ru": "Водитель едет в библиотеку",
            "kk": "Жүргізуші кітапханаға келе жатыр",
            "en": "Driver on the way to the library",
        },
        "performer_not_found": {"ru": "Водитель не найден", "kk": "Жүргізуші табылмады", "en": "No driver found"},
        "pickup_arrived": {"ru": "Водитель в библиотеке", "kk": "Жүргізуші кітапханада", "en": "Driver at the library"},
        "ready_for_pickup_confirmation": {
            "ru": "Водитель забирает книги",
            "kk": "Жүргізуші кітаптарды алуда",
            "en": "Driver collecting the books",
        },
        "pickuped": {
            "ru": "Книги у водителя, в пути",
            "kk": "Кітаптар жүргізушіде, жолда",
            "en": "Books with the driver, on the way",
        },
        "delivery_arrived": {
            "ru": "Водитель у читателя",
            "kk": "Жүргізуші оқырманның қасында",
            "en": "Driver at the reader's door",
        },
        "ready_for_delivery_confirmation": {
            "ru": "Водитель передаёт книги",
            "kk": "Жүргізуші кітаптарды табыстауда",
            "en": "Driver handing over the books",
        },
        "pay_waiting": {"ru": "Ждёт оплаты", "kk": "Төлемді күтуде", "en": "Awaiting payment"},
        "delivered": {"ru": "Доставлено", "kk": "Жеткізілді", "en": "Delivered"},
        "delivered_finish": {"ru": "Завершена", "kk": "Аяқталды", "en": "Finished"},
        "returning": {
            "ru": "Водитель везёт книги обратно",
            "kk": "Жүргізуші кітаптарды қайтаруда",
            "en": "Driver bringing the books back",
        },
        "return_arrived": {
            "ru": "Водитель вернулся в библиотеку",
            "kk": "Жүргізуші кітапханаға оралды",
            "en": "Driver back at the library",
        },
        "ready_for_return_confirmation": {
            "ru": "Водитель сдаёт книги",
            "kk": "Жүргізуші кітаптарды тапсыруда",
            "en": "Driver handing the books back",
        },
        "returned": {"ru": "Книги возвращены", "kk": "Кітаптар қайтарылды", "en": "Books returned"},
        "returned_finish": {"ru": "Завершена с возвратом", "kk": "Қайтарумен аяқталды", "en": "Finished with a return"},
        "failed": {"ru": "Не выполнена", "kk": "Орындалмады", "en": "Failed"},
        "cancelled": {"ru": "Отменена", "kk": "Тоқтатылды", "en": "Cancelled"},
        "cancelled_with_payment": {"ru": "Отменена (платно)", "kk": "Тоқтатылды (ақылы)", "en": "Cancelled, paid"},
        "cancelled_by_taxi": {"ru": "Отменена Яндексом", "kk": "Яндекс тоқтатты", "en": "Cancelled by Yandex"},
        "cancelled_with_items_on_hands": {
            "ru": "Отменена, книги у водителя",
            "kk": "Тоқтатылды, кітаптар жүргізушіде",
            "en": "Cancelled, books with the driver",
        },
    },
    "unassigned_reason": {
        "no_vehicle_with_skills": {
            "ru": "Ни один курьер не может обслужить этот адрес (нужен подъём по лестнице или другое умение)",
            "kk": "Бұл мекенжайға бірде-бір курьер бара алмайды (баспалдақпен көтерілу не басқа дағды қажет)",
            "en": "No courier can serve this address (it needs stairs or another skill)",
        },
        "capacity": {
            "ru": "Книг больше, чем может увезти любой курьер",
            "kk": "Кітаптар кез келген курьер алып кете алатыннан көп",
            "en": "More books than any courier can carry",
        },
        "window_unreachable": {
            "ru": "Никто не успевает к читателю в его время",
            "kk": "Оқырманға оның уақытында ешкім үлгермейді",
            "en": "Nobody can reach the reader within their time window",
        },
        "shift_too_short": {
            "ru": "Смены курьеров не хватает, чтобы доехать и вернуться",
            "kk": "Курьерлердің ауысымы барып-қайтуға жетпейді",
            "en": "No courier's shift is long enough to get there and back",
        },
        "route_too_long": {
            "ru": "Поездка длиннее, чем разрешено для одного маршрута",
            "kk": "Сапар бір маршрутқа рұқсат етілгеннен ұзақ",
            "en": "The trip is longer than one route may be",
        },
        "no_room": {
            "ru": "У всех подходящих курьеров уже нет места или времени",
            "kk": "Барлық сәйкес курьерлерде орын не уақыт қалмады",
            "en": "Every courier who could go is already full",
        },
        "no_location": {
            "ru": "Адрес читателя не отмечен на карте",
            "kk": "Оқырманның мекенжайы картада белгіленбеген",
            "en": "The reader's address is not on the map",
        },
        "off_map": {
            "ru": "Адрес читателя за пределами карты города",
            "kk": "Оқырманның мекенжайы қала картасынан тыс",
            "en": "The reader's address is outside the city map",
        },
        "far_from_road": {
            "ru": "Точка адреса слишком далеко от проезжей улицы",
            "kk": "Мекенжай нүктесі көлік жүретін көшеден тым алыс",
            "en": "The address point is too far from a drivable street",
        },
    },
    "unassigned_advice": {
        "no_vehicle_with_skills": {
            "ru": "Добавьте на этот день курьера, который поднимается по лестнице, или передайте заявку Яндексу",
            "kk": "Осы күнге баспалдақпен көтеріле алатын курьер қосыңыз немесе өтінімді Яндекске беріңіз",
            "en": "Add a courier who can climb stairs for the day, or hand the request to Yandex",
        },
        "capacity": {
            "ru": "Позвоните читателю и разделите заявку на две доставки",
            "kk": "Оқырманға қоңырау шалып, өтінімді екі жеткізуге бөліңіз",
            "en": "Call the reader and split the request into two deliveries",
        },
        "window_unreachable": {
            "ru": "Позвоните читателю и расширьте время или перенесите день",
            "kk": "Оқырманға қоңырау шалып, уақытты кеңейтіңіз немесе күнді ауыстырыңыз",
            "en": "Call the reader to widen the time window or move the day",
        },
        "shift_too_short": {
            "ru": "Добавьте курьера с более длинной сменой или перенесите день",
            "kk": "Ауысымы ұзағырақ курьер қосыңыз немесе күнді ауыстырыңыз",
            "en": "Add a courier with a longer shift or move the day",
        },
        "route_too_long": {
            "ru": "Передайте заявку Яндексу или перенесите день",
            "kk": "Өтінімді Яндекске беріңіз немесе күнді ауыстырыңыз",
            "en": "Hand the request to Yandex or move the day",
        },
        "no_room": {
            "ru": "Добавьте курьера на этот день, передайте заявку Яндексу или перенесите день",
            "kk": "Осы күнге курьер қосыңыз, өтінімді Яндекске беріңіз немесе күнді ауыстырыңыз",
            "en": "Add a courier for the day, hand the request to Yandex or move the day",
        },
        "no_location": {
            "ru": "Уточните адрес у читателя и отметьте дом на карте в карточке читателя",
            "kk": "Мекенжайды оқырманнан нақтылап, үйді оқырман карточкасындағы картада белгілеңіз",
            "en": "Check the address with the reader and mark the house on the map in their record",
        },
        "off_map": {
            "ru": "Проверьте адрес: возможно, ошибка в точке на карте; иначе позвоните читателю",
            "kk": "Мекенжайды тексеріңіз: картадағы нүкте қате болуы мүмкін; болмаса оқырманға қоңырау шалыңыз",
            "en": "Check the address: the map point may be wrong; otherwise call the reader",
        },
        "far_from_road": {
            "ru": "Передвиньте точку на карте к подъезду у улицы",
            "kk": "Картадағы нүктені көшедегі кіреберіске жақындатыңыз",
            "en": "Move the map point to the entrance by the street",
        },
    },
    "pin_refusal": {
        "not_working": {
            "ru": "этот курьер не работает в филиале в этот день",
            "kk": "бұл курьер осы күні филиалда жұмыс істемейді",
            "en": "this courier does not work at the branch on that day",
        },
        "courier_busy": {
            "ru": "маршрут этого курьера уже передан ему; новые адреса в него добавляет только планировщик",
            "kk": "бұл курьердің маршруты оған берілген; оған жаңа мекенжайларды тек жоспарлаушы қосады",
            "en": "this courier's route is already handed over; only the planner adds addresses to it",
        },
        "no_such_car": {
            "ru": "такой машины Яндекса в этот день нет",
            "kk": "бұл күні Яндекстің мұндай көлігі жоқ",
            "en": "there is no such Yandex car on that day",
        },
        "yandex_no_stairs": {
            "ru": "водители Яндекса не поднимают книги по лестнице, а у читателя нет лифта",
            "kk": "Яндекс жүргізушілері кітапты баспалдақпен көтермейді, ал оқырманның үйінде лифт жоқ",
            "en": "Yandex drivers do not carry books up stairs, and the reader has no lift",
        },
        "courier_no_skill": {
            "ru": "курьер не поднимается по лестнице, а у читателя нет лифта",
            "kk": "курьер баспалдақпен көтерілмейді, ал оқырманның үйінде лифт жоқ",
            "en": "the courier does not climb stairs, and the reader has no lift",
        },
        "too_many_books": {
            "ru": "книг в заявке больше, чем помещается в эту машину или сумку",
            "kk": "өтінімдегі кітаптар бұл көлікке не сөмкеге сыймайды",
            "en": "the request has more books than this vehicle can carry",
        },
        "window_outside_shift": {
            "ru": "время читателя не попадает в смену",
            "kk": "оқырманның уақыты ауысымға сәйкес келмейді",
            "en": "the reader's time window is outside the shift",
        },
    },
    "job_stage": {
        "started": {"ru": "начато", "kk": "басталды", "en": "started"},
        "loading": {
            "ru": "читаются заявки и курьеры",
            "kk": "өтінімдер мен курьерлер оқылуда",
            "en": "reading requests and couriers",
        },
        "snapping": {
            "ru": "адреса ставятся на улицы",
            "kk": "мекенжайлар көшелерге қойылуда",
            "en": "placing addresses on streets",
        },
        "matrices": {"ru": "считаются расстояния", "kk": "қашықтықтар есептелуде", "en": "measuring distances"},
        "solving": {"ru": "подбираются маршруты", "kk": "маршруттар құрылуда", "en": "building routes"},
        "routes": {
            "ru": "прокладываются пути по улицам",
            "kk": "көшелер бойынша жолдар салынуда",
            "en": "drawing routes on streets",
        },
        "saving": {"ru": "сохраняется", "kk": "сақталуда", "en": "saving"},
        "booking": {"ru": "заказ в Яндексе", "kk": "Яндекске тапсырыс", "en": "booking with Yandex"},
        "done": {"ru": "готово", "kk": "дайын", "en": "done"},
    },
    "courier_skill": {
        "stairs": {"ru": "поднимается по лестнице", "kk": "баспалдақпен көтеріледі", "en": "climbs stairs"},
        "heavy": {"ru": "возит тяжёлые заказы", "kk": "ауыр тапсырыстарды тасиды", "en": "carries heavy loads"},
    },
    "absence": {
        "off_roster": {
            "ru": "снят с графика (отпуск, болезнь)",
            "kk": "кестеден алынған (демалыс, ауру)",
            "en": "off the roster (leave, illness)",
        },
        "day_off": {"ru": "выходной по графику", "kk": "кесте бойынша демалыс", "en": "day off by the schedule"},
    },
    "pin_state": {
        "waiting": {
            "ru": "будет учтено при следующем планировании",
            "kk": "келесі жоспарлауда ескеріледі",
            "en": "applies at the next planning",
        },
        "honoured": {"ru": "соблюдено", "kk": "сақталды", "en": "kept"},
        "moved": {
            "ru": "не соблюдено: этой машины или курьера не было при планировании, адрес отдан другому",
            "kk": "сақталмады: жоспарлау кезінде бұл көлік не курьер болмады, мекенжай басқаға берілді",
            "en": "not kept: the vehicle was not available at planning, the stop went to another",
        },
        "left_out": {
            "ru": "не соблюдено: планировщик не смог поставить адрес в этот маршрут",
            "kk": "сақталмады: жоспарлаушы мекенжайды бұл маршрутқа қоя алмады",
            "en": "not kept: the planner could not fit the stop into this route",
        },
    },
}

ENUMS: dict[str, type[StrEnum]] = {
    "request_status": statuses.RequestStatus,
    "reader_request_status": statuses.RequestStatus,
    "request_kind": statuses.RequestKind,
    "channel": statuses.Channel,
    "item_status": statuses.ItemStatus,
    "staff_role": statuses.StaffRole,
    "courier_kind": statuses.CourierKind,
    "carrier": statuses.Carrier,
    "route_status": statuses.RouteStatus,
    "stop_outcome": statuses.StopOutcome,
    "failure_reason": statuses.FailureReason,
    "job_state": statuses.JobState,
    "claim_status": ClaimStatus,
}
"""The enum each kind names, where there is one (kinds without an enum list their codes themselves).

``reader_request_status`` words the same statuses for the reader, who is spoken to ("could not reach you").
"""

LANGUAGES = ("ru", "kk", "en")

VEHICLE_WORDS: dict[str, Words] = {
    "courier": {"ru": "курьер", "kk": "курьер", "en": "courier"},
    "yandex": {"ru": "Яндекс, машина {n}", "kk": "Яндекс, {n}-көлік", "en": "Yandex, car {n}"},
    "unknown": {"ru": "Транспорт {n}", "kk": "{n} көлік", "en": "Vehicle {n}"},
}
"""How a planner's vehicle id reads: a courier by their name, a Yandex car by its number."""


def label(kind: str, code: str | None, lang: str = "ru") -> str:
    """The words for ``code`` of ``kind`` in ``lang`` (Russian where ``lang`` is not known); ``""`` for no code.

    An unknown code is given back as it is, so a page never fails over a new status; the catalogue's
    test makes sure none is missing.
    """
    if code is None or code == "":
        return ""
    words = LABELS.get(kind, {}).get(str(code))
    if words is None:
        return str(code)
    return words.get(lang) or words["ru"]


def choices(kind: str, lang: str = "ru") -> list[tuple[str, str]]:
    """``(code, words)`` for every code of ``kind``, in the catalogue's order: options of a select."""
    return [(code, label(kind, code, lang)) for code in LABELS[kind]]


def missing() -> list[str]:
    """Every enum value without words and every word missing in a language (empty when the catalogue is whole)."""
    found = [
        f"{kind}.{member.value}" for kind, enum in ENUMS.items() for member in enum if member.value not in LABELS.get(kind, {})
    ]
    found += [
        f"{kind}.{code}.{lang}"
        for kind, codes in LABELS.items()
        for code, words in codes.items()
        for lang in LANGUAGES
        if not words.get(lang)
    ]
    return found


def as_words(kind: str, codes: t.Iterable[str], lang: str = "ru") -> list[str]:
    """The words of several codes, in order."""
    return [label(kind, code, lang) for code in codes]


def reason_with_advice(code: str, lang: str = "ru") -> str:
    """Why a request was left out of the plan and what to do about it, as one sentence for the dispatcher."""
    why = label("unassigned_reason", code, lang)
    advice = LABELS["unassigned_advice"].get(code)
    if advice is None:
        return why
    return f"{why}. {advice.get(lang) or advice['ru']}."


def vehicle(vehicle_id: str | None, lang: str = "ru", names: t.Mapping[str, str] | None = None) -> str:
    """A planner's vehicle id in words: ``courier:B01-C1`` → "Айгуль Сейткали (курьер)", ``yandex:2`` → "Яндекс, машина 2".

    ``names`` maps a courier's code (``B01-C1``) to their name; a courier missing from it is named by code.
    """
    if not vehicle_id:
        return ""
    prefix, _, rest = vehicle_id.partition(":")
    if prefix == "courier" and rest:
        word = _word(VEHICLE_WORDS["courier"], lang)
        name = (names or {}).get(rest)
        return f"{name} ({word})" if name else f"{word.capitalize()} {rest}"
    if prefix == "yandex" and rest:
        return _word(VEHICLE_WORDS["yandex"], lang).format(n=rest)
    return _word(VEHICLE_WORDS["unknown"], lang).format(n=vehicle_id)


def _word(words: Words, lang: str) -> str:
    return words.get(lang) or words["ru"]
