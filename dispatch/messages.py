"""Message catalogue: every stable code in Russian, Kazakh and English, with named parameters."""

from __future__ import annotations

import re
import typing as t

from notifications.plurals import countable

LANGUAGES: tuple[str, ...] = ("ru", "kk", "en")

CATALOGUE: dict[str, dict[str, str]] = {
    # --- eligibility: the reader ---
    "card_expired": {
        "ru": "Срок действия читательского билета истёк {expired_on}. Продлите его в библиотеке или по телефону.",
        "kk": "Оқырман билетінің мерзімі {expired_on} аяқталды. Оны кітапханада немесе телефон арқылы ұзартыңыз.",
        "en": "The library card expired on {expired_on}. Renew it at the library or by phone.",
    },
    "card_blocked": {
        "ru": "Читательский билет заблокирован: {reason}. Обратитесь в библиотеку.",
        "kk": "Оқырман билеті бұғатталған: {reason}. Кітапханаға хабарласыңыз.",
        "en": "The library card is blocked: {reason}. Please contact the library.",
    },
    "mobility_not_recorded": {
        "ru": "В карточке читателя нет сведений об ограниченной подвижности. Доставка на дом доступна людям с инвалидностью, пожилым и временно маломобильным читателям.",
        "kk": "Оқырман карточкасында қозғалысы шектеулі екені туралы мәлімет жоқ. Үйге жеткізу мүмкіндігі шектеулі, егде жастағы және уақытша қозғалысы шектеулі оқырмандарға арналған.",
        "en": "The reader record shows no limited mobility. Home delivery is for readers with a disability, elderly readers and readers with a temporary condition.",
    },
    "mobility_expired": {
        "ru": "Срок подтверждения ограниченной подвижности истёк {expired_on}. Принесите или пришлите новую справку.",
        "kk": "Қозғалыстың шектелуін растау мерзімі {expired_on} аяқталды. Жаңа анықтаманы әкеліңіз немесе жіберіңіз.",
        "en": "The proof of limited mobility expired on {expired_on}. Please bring or send a new certificate.",
    },
    "mobility_group_not_eligible": {
        "ru": "Группа инвалидности {group} не даёт права на доставку на дом (нужна группа {eligible}).",
        "kk": "{group} мүгедектік тобы үйге жеткізуге құқық бермейді ({eligible} топ қажет).",
        "en": "Disability group {group} does not qualify for home delivery (group {eligible} needed).",
    },
    "address_missing": {
        "ru": "У адреса читателя нет координат. Оператор уточнит адрес и отметит его на карте.",
        "kk": "Оқырман мекенжайының координаттары жоқ. Оператор мекенжайды нақтылап, картада белгілейді.",
        "en": "The reader's address has no coordinates. An operator will check the address and mark it on the map.",
    },
    "address_outside_area": {
        "ru": "Адрес находится за пределами зоны доставки ({area}).",
        "kk": "Мекенжай жеткізу аймағынан ({area}) тыс орналасқан.",
        "en": "The address is outside the delivery area ({area}).",
    },
    "phone_missing": {
        "ru": "В карточке читателя нет телефона, а курьеру нужно позвонить перед приездом.",
        "kk": "Оқырман карточкасында телефон нөмірі жоқ, ал курьер келер алдында қоңырау шалуы керек.",
        "en": "The reader record has no phone number, and the courier must call before arriving.",
    },
    "too_many_open_requests": {
        "ru": "У читателя уже {open:plural:незавершённая заявка,незавершённые заявки,незавершённых заявок}; одновременно можно не больше {limit}.",
        "kk": "Оқырманда аяқталмаған {open} өтінім бар; бір мезгілде {limit} өтінімнен аспауы керек.",
        "en": "The reader already has {open:plural:open request,open requests}; at most {limit} are allowed at once.",
    },
    # --- eligibility: the items ---
    "no_items": {
        "ru": "В заявке не указано ни одной книги.",
        "kk": "Өтінімде бірде-бір кітап көрсетілмеген.",
        "en": "The request names no books.",
    },
    "too_many_items": {
        "ru": "В одной доставке можно не больше {limit:plural:книги,книг,книг}, в заявке {count:plural:книга,книги,книг}.",
        "kk": "Бір жеткізуде {limit} кітаптан аспауы керек, өтінімде {count} кітап.",
        "en": "At most {limit:plural:book fits,books fit} one delivery; the request has {count}.",
    },
    "item_not_found": {
        "ru": "Книги со штрихкодом {barcode} нет в каталоге.",
        "kk": "{barcode} штрихкоды бар кітап каталогта жоқ.",
        "en": "No book with barcode {barcode} is in the catalogue.",
    },
    "item_not_lendable": {
        "ru": "Книгу «{title}» ({barcode}) сейчас нельзя выдать: {status_text}.",
        "kk": "«{title}» ({barcode}) кітабын қазір беру мүмкін емес: {status_text}.",
        "en": "The book “{title}” ({barcode}) cannot be lent now: {status_text}.",
    },
    "item_already_requested": {
        "ru": "Книга «{title}» ({barcode}) уже заказана в другой заявке.",
        "kk": "«{title}» ({barcode}) кітабына басқа өтінімде тапсырыс берілген.",
        "en": "The book “{title}” ({barcode}) is already in another request.",
    },
    "item_not_on_loan_to_reader": {
        "ru": "Книга {barcode} не числится за этим читателем, забрать её нельзя.",
        "kk": "{barcode} кітабы бұл оқырманның атында тіркелмеген, оны алып кету мүмкін емес.",
        "en": "The book {barcode} is not on loan to this reader, so it cannot be collected.",
    },
    "items_at_several_branches": {
        "ru": "Книги хранятся в разных филиалах ({branches}); оформите отдельную заявку для каждого филиала.",
        "kk": "Кітаптар әртүрлі филиалдарда сақталған ({branches}); әр филиалға жеке өтінім беріңіз.",
        "en": "The books are held at different branches ({branches}); make one request per branch.",
    },
    # --- the date and window ---
    "date_in_past": {
        "ru": "Дата доставки {date} уже прошла.",
        "kk": "{date} жеткізу күні өтіп кетті.",
        "en": "The delivery date {date} is in the past.",
    },
    "date_too_far": {
        "ru": "Доставку можно заказать не дальше чем на {days:plural:день,дня,дней} вперёд (до {last}).",
        "kk": "Жеткізуге {days} күннен артық алдын ала тапсырыс беруге болмайды ({last} дейін).",
        "en": "Deliveries can be booked at most {days:plural:day,days} ahead (until {last}).",
    },
    # --- item and status words used inside messages ---
    "item_status.on_loan": {"ru": "она выдана", "kk": "ол берілген", "en": "it is on loan"},
    "item_status.not_for_loan": {
        "ru": "она только для чтения в зале",
        "kk": "ол тек оқу залында оқуға арналған",
        "en": "it is for reading room use only",
    },
    "item_status.in_transit": {
        "ru": "она в пути между филиалами",
        "kk": "ол филиалдар арасында жолда",
        "en": "it is in transit between branches",
    },
    "item_status.lost": {"ru": "она числится утерянной", "kk": "ол жоғалған деп тіркелген", "en": "it is recorded as lost"},
    "item_status.withdrawn": {"ru": "она списана", "kk": "ол есептен шығарылған", "en": "it has been withdrawn"},
    # --- input errors ---
    "card_not_found": {
        "ru": "Читатель с билетом {card} не найден.",
        "kk": "{card} билеті бар оқырман табылмады.",
        "en": "No reader has card number {card}.",
    },
    "invalid_request": {
        "ru": "Заявку нельзя принять: {problems}",
        "kk": "Өтінімді қабылдау мүмкін емес: {problems}",
        "en": "The request cannot be accepted: {problems}",
    },
    "invalid_date": {
        "ru": "дата «{value}» не распознана, нужен формат ГГГГ-ММ-ДД.",
        "kk": "«{value}» күні танылмады, ЖЖЖЖ-АА-КК пішімі қажет.",
        "en": "the date “{value}” is not a date in the form YYYY-MM-DD.",
    },
    "invalid_window": {
        "ru": "интервал «{value}» не подходит: нужен формат ЧЧ:ММ-ЧЧ:ММ в пределах {earliest}–{latest}, не короче {min_minutes} минут.",
        "kk": "«{value}» уақыт аралығы жарамсыз: {earliest}–{latest} шегінде кемінде {min_minutes} минуттық СС:ММ-СС:ММ пішімі қажет.",
        "en": "the window “{value}” must be HH:MM-HH:MM within {earliest}–{latest} and at least {min_minutes} minutes long.",
    },
    "invalid_choice": {
        "ru": "значение «{value}» поля {field} недопустимо (можно: {allowed}).",
        "kk": "{field} өрісінің «{value}» мәні жарамсыз (рұқсат етілгені: {allowed}).",
        "en": "“{value}” is not a valid {field} (allowed: {allowed}).",
    },
    "invalid_key": {
        "ru": "ключ повтора должен быть непустой строкой до 200 символов.",
        "kk": "қайталау кілті 200 таңбадан аспайтын бос емес жол болуы керек.",
        "en": "the idempotency key must be a non-empty string of at most 200 characters.",
    },
    "idempotency_key_reused": {
        "ru": "Ключ повтора {key} уже использован для другой заявки (№ {request_id}).",
        "kk": "{key} қайталау кілті басқа өтінім үшін қолданылған (№ {request_id}).",
        "en": "The idempotency key {key} was already used for a different request (no. {request_id}).",
    },
    "illegal_transition": {
        "ru": "Нельзя перевести заявку ({kind}) из состояния «{current}» в «{target}».",
        "kk": "Өтінімді ({kind}) «{current}» күйінен «{target}» күйіне ауыстыруға болмайды.",
        "en": "A {kind} cannot move from “{current}” to “{target}”.",
    },
    "not_found": {
        "ru": "{what} № {id} не найдено.",
        "kk": "{what} № {id} табылмады.",
        "en": "{what} no. {id} was not found.",
    },
    "route_not_current": {
        "ru": "Маршрут № {route} нельзя передать: его состояние «{status}».",
        "kk": "№ {route} маршрутты беру мүмкін емес: оның күйі «{status}».",
        "en": "Route no. {route} cannot be handed over: it is {status}.",
    },
    # --- the courier's day ---
    "route_not_dispatched": {
        "ru": "Маршрут № {route} ещё не передан курьеру: дождитесь диспетчера.",
        "kk": "№ {route} маршрут курьерге әлі берілмеген: диспетчерді күтіңіз.",
        "en": "Route no. {route} has not been handed to the courier yet: wait for the dispatcher.",
    },
    "outcome_before_leaving": {
        "ru": "Сначала отметьте выезд из филиала («Выезжаю из филиала»), потом отмечайте адреса.",
        "kk": "Алдымен филиалдан шыққаныңызды белгілеңіз («Филиалдан шығамын»), содан кейін мекенжайларды белгілеңіз.",
        "en": "Mark that you are leaving the branch first, then record the stops.",
    },
    "outcome_not_today": {
        "ru": "Маршрут на {day}: отметки о доставке можно ставить только в этот день.",
        "kk": "Маршрут {day} күнге: жеткізу белгілерін тек сол күні қоюға болады.",
        "en": "This route is for {day}: stops can be recorded on that day only.",
    },
    "leave_not_today": {
        "ru": "Маршрут на {day}: выезжать по нему можно только в этот день.",
        "kk": "Маршрут {day} күнге: ол бойынша тек сол күні шығуға болады.",
        "en": "This route is for {day}: you can set out on it on that day only.",
    },
    "route_finished": {
        "ru": "Маршрут № {route} уже завершён.",
        "kk": "№ {route} маршрут аяқталған.",
        "en": "Route no. {route} is already finished.",
    },
    "stop_already_recorded": {
        "ru": "Этот адрес уже отмечен. Если отметка ошибочна, отмените её в первые минуты или позвоните диспетчеру.",
        "kk": "Бұл мекенжай белгіленіп қойған. Белгі қате болса, оны алғашқы минуттарда болдырмаңыз немесе диспетчерге қоңырау шалыңыз.",
        "en": "This stop is already recorded. If that was a mistake, undo it within the first minutes or call the dispatcher.",
    },
    "failure_reason_required": {
        "ru": "Выберите, почему не удалось.",
        "kk": "Неге орындалмағанын таңдаңыз.",
        "en": "Choose why the stop failed.",
    },
    "outcome_kind_mismatch": {
        "ru": "Эта отметка не подходит к адресу: здесь книги не передают, а забирают (или наоборот).",
        "kk": "Бұл белгі мекенжайға сәйкес келмейді: мұнда кітапты табыстамайды, керісінше алады (немесе керісінше).",
        "en": "That outcome does not fit this stop: books are collected here, not handed over (or the other way round).",
    },
    "undo_nothing": {
        "ru": "Отменять нечего: на этом маршруте нет отметки, которую можно отменить.",
        "kk": "Болдырмайтын ештеңе жоқ: бұл маршрутта болдырмауға болатын белгі жоқ.",
        "en": "Nothing to undo: this route has no recorded stop that can be undone.",
    },
    "undo_too_late": {
        "ru": "Отменить уже нельзя: отметку можно отменить только в первые {minutes:plural:минуту,минуты,минут}. Позвоните диспетчеру.",
        "kk": "Енді болдырмау мүмкін емес: белгіні тек алғашқы {minutes} минутта болдырмауға болады. Диспетчерге қоңырау шалыңыз.",
        "en": "Too late to undo: an outcome can be undone within {minutes:plural:minute,minutes} only. Call the dispatcher.",
    },
    "undo_moved_on": {
        "ru": "Отменить нельзя: заявка уже ушла дальше. Позвоните диспетчеру.",
        "kk": "Болдырмау мүмкін емес: өтінім әрі қарай жылжып кетті. Диспетчерге қоңырау шалыңыз.",
        "en": "Cannot undo: the request has moved on since. Call the dispatcher.",
    },
    # --- Yandex Delivery ---
    "yandex_not_configured": {
        "ru": "Яндекс Доставка не настроена: задайте YANDEX_BASE_URL и YANDEX_TOKEN.",
        "kk": "Яндекс Жеткізу бапталмаған: YANDEX_BASE_URL және YANDEX_TOKEN мәндерін көрсетіңіз.",
        "en": "Yandex Delivery is not configured: set YANDEX_BASE_URL and YANDEX_TOKEN.",
    },
    "yandex_price_needs_confirmation": {
        "ru": "Маршрут № {route} стоит {price} ₸ по оценке Яндекса, это больше порога {limit} ₸. Подтвердите заказ.",
        "kk": "Яндекс бағалауы бойынша № {route} маршрут {price} ₸ тұрады, бұл {limit} ₸ шегінен көп. Тапсырысты растаңыз.",
        "en": "Yandex estimates route no. {route} at {price} KZT, above the {limit} KZT limit. Please confirm the booking.",
    },
    "yandex_rejected": {
        "ru": "Яндекс не принял заявку по маршруту № {route}: {message} ({yandex_code}). Исправьте данные и отправьте снова.",
        "kk": "Яндекс № {route} маршрут бойынша өтінімді қабылдамады: {message} ({yandex_code}). Деректерді түзетіп, қайта жіберіңіз.",
        "en": "Yandex refused the claim for route no. {route}: {message} ({yandex_code}). Fix the data and send it again.",
    },
    "yandex_unreachable": {
        "ru": "Яндекс Доставка недоступна: {detail}. Повторите позже.",
        "kk": "Яндекс Жеткізу қолжетімсіз: {detail}. Кейінірек қайталаңыз.",
        "en": "Yandex Delivery cannot be reached: {detail}. Try again later.",
    },
    "yandex_route_empty": {
        "ru": "В маршруте № {route} нет адресов для Яндекса.",
        "kk": "№ {route} маршрутында Яндекс үшін мекенжай жоқ.",
        "en": "Route no. {route} has no readers' stops for Yandex.",
    },
    "yandex_route_not_yandex": {
        "ru": "Маршрут № {route} назначен курьеру библиотеки, а не Яндексу.",
        "kk": "№ {route} маршрут Яндекске емес, кітапхана курьеріне берілген.",
        "en": "Route no. {route} is for a library courier, not for Yandex.",
    },
    "yandex_branch_phone_missing": {
        "ru": "У филиала {branch} не указан телефон: Яндексу нужен контакт на точке отправки.",
        "kk": "{branch} филиалының телефоны көрсетілмеген: Яндекске жөнелту нүктесіндегі байланыс қажет.",
        "en": "Branch {branch} has no phone number: Yandex needs a contact at the pickup point.",
    },
    "yandex_cancel_unavailable": {
        "ru": "Заявку по маршруту № {route} уже нельзя отменить (статус «{status}»): обратитесь в поддержку Яндекса.",
        "kk": "№ {route} маршрут бойынша өтінімді енді болдырмау мүмкін емес («{status}» күйі): Яндекс қолдау қызметіне хабарласыңыз.",
        "en": "The claim for route no. {route} can no longer be cancelled (status {status}): contact Yandex support.",
    },
    # --- import rows ---
    "import_file_invalid": {
        "ru": "Файл {path} нельзя загрузить: {detail}.",
        "kk": "{path} файлын жүктеу мүмкін емес: {detail}.",
        "en": "The file {path} cannot be imported: {detail}.",
    },
    "row_missing_value": {
        "ru": "не заполнено поле {column}",
        "kk": "{column} өрісі толтырылмаған",
        "en": "the column {column} is empty",
    },
    "row_bad_phone": {
        "ru": "телефон «{value}» не похож на номер Казахстана (+7 7xx …)",
        "kk": "«{value}» телефоны Қазақстан нөміріне ұқсамайды (+7 7xx …)",
        "en": "the phone “{value}” is not a valid number (Kazakhstan: +7 7xx …)",
    },
    "row_bad_date": {
        "ru": "дата «{value}» в поле {column} не распознана (ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)",
        "kk": "{column} өрісіндегі «{value}» күні танылмады (ЖЖЖЖ-АА-КК немесе КК.АА.ЖЖЖЖ)",
        "en": "the date “{value}” in {column} is not YYYY-MM-DD or DD.MM.YYYY",
    },
    "row_bad_number": {
        "ru": "значение «{value}» в поле {column} не является числом в допустимых пределах",
        "kk": "{column} өрісіндегі «{value}» мәні рұқсат етілген шектегі сан емес",
        "en": "“{value}” in {column} is not a number in the allowed range",
    },
    "row_bad_choice": {
        "ru": "значение «{value}» в поле {column} недопустимо (можно: {allowed})",
        "kk": "{column} өрісіндегі «{value}» мәні жарамсыз (рұқсат етілгені: {allowed})",
        "en": "“{value}” in {column} is not allowed (allowed: {allowed})",
    },
    "row_unknown_branch": {
        "ru": "филиал с кодом «{value}» не найден",
        "kk": "«{value}» кодты филиал табылмады",
        "en": "no branch has the code “{value}”",
    },
    "row_unknown_reader": {
        "ru": "читатель с билетом «{value}» не найден",
        "kk": "«{value}» билеті бар оқырман табылмады",
        "en": "no reader has the card number “{value}”",
    },
    "row_unknown_item": {
        "ru": "экземпляр со штрихкодом «{value}» не найден",
        "kk": "«{value}» штрихкоды бар дана табылмады",
        "en": "no item has the barcode “{value}”",
    },
    "row_bad_coordinates": {
        "ru": "координаты «{lat}, {lon}» вне допустимых пределов",
        "kk": "«{lat}, {lon}» координаттары рұқсат етілген шектен тыс",
        "en": "the coordinates “{lat}, {lon}” are out of range",
    },
    "row_half_coordinates": {
        "ru": "указана только одна координата из двух (lat и lon)",
        "kk": "екі координатаның (lat және lon) тек біреуі көрсетілген",
        "en": "only one of the two coordinates (lat and lon) is given",
    },
    "row_duplicate_key": {
        "ru": "ключ «{value}» уже встречался в строке {first_line} этого файла",
        "kk": "«{value}» кілті осы файлдың {first_line}-жолында бұрын кездескен",
        "en": "the key “{value}” already appeared on line {first_line} of this file",
    },
    "row_refused": {
        "ru": "база данных отклонила строку: {detail}",
        "kk": "дерекқор жолды қабылдамады: {detail}",
        "en": "the database refused the row: {detail}",
    },
    "row_bad_dates_order": {
        "ru": "дата возврата {due_on} раньше даты выдачи {issued_on}",
        "kk": "қайтару күні {due_on} берілген күннен {issued_on} ерте",
        "en": "the due date {due_on} is before the issue date {issued_on}",
    },
    "row_item_on_loan_elsewhere": {
        "ru": "экземпляр «{barcode}» уже выдан читателю {card} (выдача от {issued_on})",
        "kk": "«{barcode}» данасы {card} оқырманға берілген ({issued_on} берілген)",
        "en": "the item “{barcode}” is already on loan to reader {card} (issued {issued_on})",
    },
    # --- import rows imported but left for a person to finish ---
    "import_needs_attention": {
        "ru": "требует внимания: {row}",
        "kk": "назар аударыңыз: {row}",
        "en": "needs attention: {row}",
    },
    "geocode_not_found": {
        "ru": "геокодер не нашёл адрес «{address}»; читатель загружен без координат — отметьте дом на карте",
        "kk": "геокодер «{address}» мекенжайын таппады; оқырман координатсыз жүктелді — үйді картада белгілеңіз",
        "en": "the geocoder does not know the address “{address}”; the reader was imported without coordinates — mark the house on the map",
    },
    "geocode_imprecise": {
        "ru": "по адресу «{address}» геокодер нашёл не дом, а только «{found}»; читатель загружен без координат — отметьте дом на карте",
        "kk": "«{address}» мекенжайы бойынша геокодер үйді емес, тек «{found}» тапты; оқырман координатсыз жүктелді — үйді картада белгілеңіз",
        "en": "for “{address}” the geocoder found only “{found}”, not a house; the reader was imported without coordinates — mark the house on the map",
    },
    "geocode_outside_area": {
        "ru": "геокодер поместил адрес «{address}» за пределы зоны доставки («{found}», {lat}, {lon}); читатель загружен без координат — проверьте адрес и отметьте дом на карте",
        "kk": "геокодер «{address}» мекенжайын жеткізу аймағынан тыс орналастырды («{found}», {lat}, {lon}); оқырман координатсыз жүктелді — мекенжайды тексеріп, үйді картада белгілеңіз",
        "en": "the geocoder placed “{address}” outside the delivery area (“{found}”, {lat}, {lon}); the reader was imported without coordinates — check the address and mark the house on the map",
    },
    "geocode_service_error": {
        "ru": "геокодер не ответил по адресу «{address}» ({detail}); читатель загружен без координат — повторите загрузку позже или отметьте дом на карте",
        "kk": "геокодер «{address}» мекенжайы бойынша жауап бермеді ({detail}); оқырман координатсыз жүктелді — жүктеуді кейінірек қайталаңыз немесе үйді картада белгілеңіз",
        "en": "the geocoder did not answer for “{address}” ({detail}); the reader was imported without coordinates — import again later or mark the house on the map",
    },
    # --- staff accounts and API tokens ---
    "staff_exists": {
        "ru": "Сотрудник с логином «{username}» уже есть.",
        "kk": "«{username}» логині бар қызметкер бұрыннан бар.",
        "en": "A staff member with the username “{username}” already exists.",
    },
    "staff_not_found": {
        "ru": "Сотрудник с логином «{username}» не найден или отключён.",
        "kk": "«{username}» логині бар қызметкер табылмады немесе өшірілген.",
        "en": "No staff member with the username “{username}”, or the account is switched off.",
    },
    "password_too_short": {
        "ru": "Пароль должен быть не короче {min_length} символов.",
        "kk": "Құпиясөз кемінде {min_length} таңбадан тұруы керек.",
        "en": "The password must be at least {min_length} characters long.",
    },
    "token_name_taken": {
        "ru": "У сотрудника «{username}» уже есть действующий токен «{name}».",
        "kk": "«{username}» қызметкерінде «{name}» атты жарамды токен бұрыннан бар.",
        "en": "The staff member “{username}” already has an active token named “{name}”.",
    },
    "token_not_found": {
        "ru": "У сотрудника «{username}» нет действующего токена «{name}».",
        "kk": "«{username}» қызметкерінде «{name}» атты жарамды токен жоқ.",
        "en": "The staff member “{username}” has no active token named “{name}”.",
    },
    "invalid_field": {
        "ru": "значение «{value}» поля {field} недопустимо.",
        "kk": "{field} өрісінің «{value}» мәні жарамсыз.",
        "en": "“{value}” is not a valid {field}.",
    },
    # --- the web API ---
    "invalid_json": {
        "ru": "Тело запроса должно быть JSON-объектом.",
        "kk": "Сұраныстың денесі JSON-объект болуы керек.",
        "en": "The request body must be a JSON object.",
    },
    "unauthorized": {
        "ru": "Нужен действующий API-токен в заголовке Authorization: Bearer.",
        "kk": "Authorization: Bearer тақырыбында жарамды API-токен қажет.",
        "en": "A valid API token is required in the Authorization: Bearer header.",
    },
    "forbidden": {
        "ru": "Недостаточно прав для этого действия.",
        "kk": "Бұл әрекетке құқығыңыз жеткіліксіз.",
        "en": "You are not allowed to do this.",
    },
    "page_not_found": {
        "ru": "Адрес не найден.",
        "kk": "Мекенжай табылмады.",
        "en": "No such address.",
    },
    "method_not_allowed": {
        "ru": "Метод {method} для этого адреса не поддерживается.",
        "kk": "Бұл мекенжай үшін {method} әдісіне қолдау көрсетілмейді.",
        "en": "The method {method} is not allowed for this address.",
    },
    "internal_error": {
        "ru": "Внутренняя ошибка сервера. Попробуйте позже или сообщите администратору.",
        "kk": "Сервердің ішкі қатесі. Кейінірек қайталаңыз немесе әкімшіге хабарлаңыз.",
        "en": "Internal server error. Try again later or tell the administrator.",
    },
    "http_error": {
        "ru": "Запрос не выполнен (HTTP {status}).",
        "kk": "Сұраныс орындалмады (HTTP {status}).",
        "en": "The request failed (HTTP {status}).",
    },
    # --- the dispatcher console and the operator's desk ---
    "pin_vehicle_invalid": {
        "ru": "«{vehicle}» — не курьер и не машина Яндекса этого дня.",
        "kk": "«{vehicle}» — осы күннің курьері де, Яндекс көлігі де емес.",
        "en": "“{vehicle}” is neither a courier nor a Yandex car of this day.",
    },
    "pin_request_not_plannable": {
        "ru": "Заявку {request} нельзя закрепить за маршрутом: её состояние «{status}».",
        "kk": "{request} өтінімін маршрутқа бекіту мүмкін емес: оның күйі «{status}».",
        "en": "Request {request} cannot be pinned to a route: it is {status}.",
    },
    "location_invalid": {
        "ru": "Точка ({lat}, {lon}) — не широта и долгота в градусах.",
        "kk": "({lat}, {lon}) нүктесі градустағы ендік пен бойлық емес.",
        "en": "The point ({lat}, {lon}) is not a latitude and longitude in degrees.",
    },
    # --- the operator's desk: the door's details, cancelling and moving a request ---
    "address_field_too_long": {
        "ru": "Слишком длинно: не больше {limit} знаков.",
        "kk": "Тым ұзын: {limit} таңбадан аспауы керек.",
        "en": "Too long: at most {limit} characters.",
    },
    "change_reason_missing": {
        "ru": "Укажите причину: она сохраняется в истории заявки.",
        "kk": "Себебін көрсетіңіз: ол өтінім тарихында сақталады.",
        "en": "Give a reason: it is kept in the request's history.",
    },
    "request_not_changeable": {
        "ru": "Заявку № {number} уже нельзя изменить здесь (сейчас: «{state}»); обратитесь к диспетчеру.",
        "kk": "№ {number} өтінімін мұнда өзгерту енді мүмкін емес (қазір: «{state}»); диспетчерге хабарласыңыз.",
        "en": "Request no. {number} can no longer be changed here (now: “{state}”); ask the dispatcher.",
    },
    "reader_request_not_found": {
        "ru": "У этого читателя нет заявки № {number}.",
        "kk": "Бұл оқырманда № {number} өтінім жоқ.",
        "en": "This reader has no request no. {number}.",
    },
    "move_date_unreadable": {
        "ru": "Дата «{value}» не распознана; выберите день в календаре.",
        "kk": "«{value}» күні танылмады; күнтізбеден күнді таңдаңыз.",
        "en": "The date “{value}” is not a date; pick a day in the calendar.",
    },
    "move_date_too_early": {
        "ru": "Перенести можно не раньше чем на {earliest}.",
        "kk": "{earliest} күнінен ерте ауыстыру мүмкін емес.",
        "en": "The earliest day it can move to is {earliest}.",
    },
    "move_date_closed": {
        "ru": "{date} библиотека не работает; выберите другой день.",
        "kk": "{date} күні кітапхана жұмыс істемейді; басқа күнді таңдаңыз.",
        "en": "The library does not work on {date}; pick another day.",
    },
    "move_date_same": {
        "ru": "Заявка уже назначена на {date}.",
        "kk": "Өтінім онсыз да {date} күніне белгіленген.",
        "en": "The request is already set for {date}.",
    },
}


class _Params(dict[str, t.Any]):
    """Leaves an unknown placeholder visible instead of failing, so a message is never lost."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(code: str, lang: str, params: t.Mapping[str, t.Any] | None = None) -> str:
    """Text of ``code`` in ``lang`` (falling back to Russian, then to the code itself)."""
    entry = CATALOGUE.get(code)
    if entry is None:
        return code
    template = entry.get(lang) or entry["ru"]
    values = _Params(countable(params or {}, lang))  # "{open:plural:заявка,заявки,заявок}" → "2 заявки"
    if "status" in values and "status_text" not in values:
        # Item statuses are stored as codes; their words are in the catalogue too.
        values["status_text"] = render(f"item_status.{values['status']}", lang)
    try:
        return template.format_map(values)
    except ValueError:  # a count given as text: the number alone rather than no message
        return _PLURAL_SPEC.sub(r"{\1}", template).format_map(values)


_PLURAL_SPEC = re.compile(r"\{(\w+):plural:[^}]*\}")
