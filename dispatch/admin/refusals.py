"""Why an administrator's change was refused, in Russian, Kazakh and English; nothing is changed when one is raised."""

from __future__ import annotations

from dispatch.errors import DispatchError

WORDS: dict[str, dict[str, str]] = {
    "upload_unknown_kind": {
        "ru": "Выберите, какой файл загружается.",
        "kk": "Қандай файл жүктелетінін таңдаңыз.",
        "en": "Choose which file is being uploaded.",
    },
    "upload_empty": {
        "ru": "Файл «{filename}» пуст.",
        "kk": "«{filename}» файлы бос.",
        "en": "The file “{filename}” is empty.",
    },
    "upload_too_large": {
        "ru": "Файл «{filename}» больше {limit_mb} МБ. Разделите его на части или загрузите через командную строку.",
        "kk": "«{filename}» файлы {limit_mb} МБ-тан үлкен. Оны бөліктерге бөліңіз немесе командалық жол арқылы жүктеңіз.",
        "en": "The file “{filename}” is larger than {limit_mb} MB. Split it, or load it from the command line.",
    },
    "upload_body_too_large": {
        "ru": "Файл больше {limit_mb} МБ. Разделите его на части или загрузите через командную строку.",
        "kk": "Файл {limit_mb} МБ-тан үлкен. Оны бөліктерге бөліңіз немесе командалық жол арқылы жүктеңіз.",
        "en": "The file is larger than {limit_mb} MB. Split it, or load it from the command line.",
    },
    "upload_not_text": {
        "ru": "Файл «{filename}» — не текстовый CSV (похоже на таблицу Excel). Сохраните его как «CSV UTF-8 (разделитель — запятая)» и загрузите снова.",
        "kk": "«{filename}» файлы мәтіндік CSV емес (Excel кестесіне ұқсайды). Оны «CSV UTF-8 (үтірмен бөлінген)» ретінде сақтап, қайта жүктеңіз.",
        "en": "The file “{filename}” is not a CSV text file (it looks like an Excel workbook). Save it as “CSV UTF-8 (comma delimited)” and upload it again.",
    },
    "upload_missing_columns": {
        "ru": "В файле «{filename}» нет обязательных столбцов: {missing}. Первая строка файла должна содержать названия столбцов: {expected}.",
        "kk": "«{filename}» файлында міндетті бағандар жоқ: {missing}. Файлдың бірінші жолында бағандардың атаулары болуы керек: {expected}.",
        "en": "The file “{filename}” lacks the required columns: {missing}. Its first line must name the columns: {expected}.",
    },
    "last_admin": {
        "ru": "Это последняя действующая учётная запись администратора: её нельзя отключить или перевести на другую роль.",
        "kk": "Бұл әкімшінің соңғы белсенді есептік жазбасы: оны өшіруге немесе басқа рөлге ауыстыруға болмайды.",
        "en": "This is the last active administrator account: it cannot be disabled or given another role.",
    },
    "not_yourself": {
        "ru": "Свою учётную запись нельзя отключить или лишить роли администратора: попросите другого администратора.",
        "kk": "Өз есептік жазбаңызды өшіруге немесе әкімші рөлінен айыруға болмайды: басқа әкімшіден сұраңыз.",
        "en": "You cannot disable your own account or take away your own administrator role: ask another administrator.",
    },
    "leave_bad_dates": {
        "ru": "Дата окончания отпуска ({ends_on}) раньше даты начала ({starts_on}).",
        "kk": "Демалыстың аяқталу күні ({ends_on}) басталу күнінен ({starts_on}) ерте.",
        "en": "The leave ends ({ends_on}) before it starts ({starts_on}).",
    },
    "leave_overlaps": {
        "ru": "Этот период пересекается с уже записанным отпуском {starts_on} — {ends_on}.",
        "kk": "Бұл кезең бұрын жазылған {starts_on} — {ends_on} демалысымен қиылысады.",
        "en": "This period overlaps the leave already recorded for {starts_on} – {ends_on}.",
    },
    "leave_too_long": {
        "ru": "Отпуск длиннее года не записывается: проверьте даты или снимите курьера с графика.",
        "kk": "Бір жылдан ұзақ демалыс жазылмайды: күндерді тексеріңіз немесе курьерді кестеден алыңыз.",
        "en": "A leave longer than a year is not recorded: check the dates, or take the courier off the roster.",
    },
    "shift_order": {
        "ru": "Смена должна заканчиваться позже, чем начинается ({start} — {end}).",
        "kk": "Ауысым басталғаннан кейін аяқталуы керек ({start} — {end}).",
        "en": "The shift must end after it starts ({start} – {end}).",
    },
    "no_working_days": {
        "ru": "Отметьте хотя бы один рабочий день.",
        "kk": "Кем дегенде бір жұмыс күнін белгілеңіз.",
        "en": "Tick at least one working day.",
    },
    "bad_phone": {
        "ru": "Телефон «{value}» не похож на номер Казахстана (+7 7xx …).",
        "kk": "«{value}» телефоны Қазақстан нөміріне ұқсамайды (+7 7xx …).",
        "en": "The phone “{value}” is not a Kazakhstan number (+7 7xx …).",
    },
    "unknown_branch": {
        "ru": "Филиал с кодом «{value}» не найден.",
        "kk": "«{value}» кодты филиал табылмады.",
        "en": "No branch has the code “{value}”.",
    },
    "courier_exists": {
        "ru": "Курьер с кодом «{value}» уже есть.",
        "kk": "«{value}» кодты курьер бұрыннан бар.",
        "en": "A courier with the code “{value}” already exists.",
    },
}
"""Each refusal's words; ``{name}`` parts are filled from the refusal's parameters."""


class AdminRefused(DispatchError):
    """A change an administrator asked for that the rules refuse; its ``code`` is a key of :data:`WORDS`."""

    code = "admin_refused"

    def message(self, lang: str = "ru") -> str:
        """The reason in ``lang`` (Russian where the language is not known)."""
        words = WORDS.get(self.code)
        if words is None:
            return super().message(lang)
        return (words.get(lang) or words["ru"]).format(**self.params)
