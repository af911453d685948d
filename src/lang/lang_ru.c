/* lang_ru.c - the Russian table: abbreviations with how they behave at a
 * possible sentence end, sentence starters, decimal separator, marker
 * letters for detection and the ICU transliteration to Latin ASCII.
 * Written for alignmem from general knowledge of Russian typography.
 * Flags (lang.h): N never ends a sentence, U not before a number, E may
 * end before a capital, A only before a sentence starter, X may end only
 * after a number, C case-sensitive. Contractions without a final dot
 * (р-н, д-р, №) never precede a period ICU would break at: no entry. */
#include "lang/lang.h"

#include <unicode/uscript.h>

#define N AM_ABBR_NEVER
#define U AM_ABBR_NUM
#define E AM_ABBR_END
#define A AM_ABBR_ADJ
#define C AM_ABBR_CASE
#define X AM_ABBR_UNIT

static const am_abbr abbrs[] = {
    {"Дж.", N|C}, {"тел.", N}, {"факс.", N}, {"моб.", N}, {"ул.", N}, {"пр.", N}, {"просп.", N},
    {"пер.", N}, {"пл.", N}, {"наб.", N}, {"ш.", N}, {"пос.", N}, {"дер.", N}, {"с.", N},
    {"обл.", N}, {"корп.", N}, {"стр.", N}, {"кв.", N}, {"д.", N}, {"оф.", N}, {"гр.", N},
    {"им.", N}, {"св.", N}, {"акад.", N}, {"проф.", N}, {"доц.", N}, {"канд.", N}, {"ген.", N},
    {"полк.", N}, {"подполк.", N}, {"лейт.", N}, {"кап.", N}, {"тов.", N}, {"зам.", N},
    {"зав.", N}, {"нач.", N}, {"дир.", N}, {"нар.", N}, {"ср.", N}, {"напр.", N}, {"т. н.", N},
    {"т. наз.", N}, {"так наз.", N}, {"рис.", N}, {"табл.", N}, {"прим.", N}, {"абз.", N},
    {"разд.", N}, {"гл.", N}, {"кн.", N}, {"вып.", N}, {"изд.", N}, {"ред.", N}, {"сост.", N},
    {"англ.", N}, {"нем.", N}, {"франц.", N}, {"фр.", N}, {"рус.", N}, {"укр.", N}, {"лат.", N},
    {"греч.", N}, {"итал.", N}, {"исп.", N}, {"япон.", N}, {"кит.", N}, {"авт.", N},
    {"худ.", N}, {"муз.", N}, {"сл.", N}, {"студ.", N}, {"преп.", N}, {"ок.", N}, {"прибл.", N},
    {"около.", N}, {"о.", N}, {"оз.", N}, {"пгт.", N}, {"мкр.", N}, {"зап.", N}, {"вост.", N},
    {"сев.", N}, {"юж.", N}, {"центр.", N}, {"адм.", N}, {"тер.", N}, {"окр.", N}, {"гос.", N},
    {"нац.", N}, {"междунар.", N}, {"общ.", N}, {"чл.-кор.", N}, {"ген.-лейт.", N}, {"мл.", N},
    {"ст. н. с.", N}, {"н. с.", N}, {"м. н. с.", N}, {"с.-х.", N}, {"ж. д.", N}, {"т. о.", N},
    {"т. к.", N}, {"т. е.", N}, {"т. ч.", N}, {"в т. ч.", N}, {"б. ч.", N}, {"р. ф.", N},
    {"и. о.", N}, {"вр. и. о.", N}, {"вх.", N}, {"исх.", N}, {"арх.", N}, {"библ.", N},
    {"п.", U}, {"пп.", U}, {"ч.", U}, {"т.", U}, {"лл.", U}, {"л.", U}, {"вв.", U}, {"тт.", U},
    {"ф.", U}, {"оп.", U}, {"ед. хр.", U}, {"и т. д.", E}, {"и т. п.", E}, {"т. д.", E},
    {"т. п.", E}, {"и др.", E}, {"др.", E}, {"и пр.", E}, {"и проч.", E}, {"тыс.", E},
    {"млн.", E}, {"млрд.", E}, {"трлн.", E}, {"руб.", E}, {"коп.", E}, {"долл.", E},
    {"дол.", E}, {"евр.", E}, {"н. э.", E}, {"до н. э.", E}, {"с. г.", E}, {"т. г.", E},
    {"км.", E}, {"кг.", E}, {"мм.", E}, {"сек.", E}, {"га.", E}, {"шт.", E}, {"экз.", E},
    {"и т. д. и т. п.", E}, {"и под.", E}, {"и мн. др.", E}, {"мн. др.", E}, {"и т. ч.", E},
    {"кв. м.", E}, {"кв. км.", E}, {"куб. м.", E}, {"рт. ст.", E}, {"пн.", E}, {"вт.", E},
    {"чт.", E}, {"пт.", E}, {"сб.", E}, {"вс.", E}, {"п. п.", E}, {"ст.", X}, {"г.", X},
    {"гг.", X}, {"м.", X}, {"в.", X}, {"мин.", X}, {"сут.", X}, {"мес.", X}, {"ц.", X},
    {"см.", X}, {"р.", X},
};

/* Capitalised words that begin sentences (for A entries). */
static const char *const starters[] = {
    "Но", "А", "И", "Он", "Она", "Оно", "Они", "Мы", "Вы", "Я", "Это", "Эта", "Этот", "Эти",
    "Тот", "Та", "То", "Те", "Там", "Тут", "Тогда", "Потом", "Также", "Однако", "Впрочем",
    "Как", "Когда", "Где", "Почему", "Что", "Кто", "Если", "За", "У", "В", "На", "С", "До",
    "После", "Под", "Над", "Его", "Ее", "Её", "Их", "Наш", "Еще", "Ещё", "Уже", "Сейчас",
    "Теперь", "Кроме", "Среди", "Поэтому", "Итак", "Ведь", "Так", "Вот", "Через",
    "Некоторые",
};

/* Capitalised words that continue a sentence after an abbreviation that
 * may end one ("5 a.m. Eastern", "the U.S. Navy"). */
static const char *const continuers[] = {
    "США", "Канады", "Австралии", "Гонконга",
};

/* Month names, lower case, every form: a date fronting a sentence
 * ("8 вересня 2019 р. Російська ...") does not end it. */
static const char *const months[] = {
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
    "октябрь", "ноябрь", "декабрь", "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
};

extern struct am_lang am_lang_en;

struct am_lang am_lang_ru = {
    .code = "ru",
    .locale = "ru_RU",
    .translit_id = "Russian-Latin/BGN; Any-Latin; Latin-ASCII",
    .decimal_sep = ',',
    .script = USCRIPT_CYRILLIC,
    .markers = "ыэъё",
    .initials_after_surname = AM_SURNAME_INITIALS,
    .abbrs = abbrs,
    .n_abbrs = sizeof abbrs / sizeof abbrs[0],
    .starters = starters,
    .n_starters = sizeof starters / sizeof starters[0],
    .months = months,
    .n_months = sizeof months / sizeof months[0],
    .continuers = continuers,
    .n_continuers = sizeof continuers / sizeof continuers[0],
    .also = &am_lang_en,
    .has_table = 1,
    .stem_len = 5,
};
