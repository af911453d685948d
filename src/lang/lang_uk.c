/* lang_uk.c - the Ukrainian table: abbreviations with how they behave at a
 * possible sentence end, sentence starters, decimal separator, marker
 * letters for detection and the ICU transliteration to Latin ASCII.
 * Written for alignmem from general knowledge of Ukrainian typography.
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
    {"Дж.", N|C}, {"тел.", N}, {"факс.", N}, {"моб.", N}, {"вул.", N}, {"просп.", N},
    {"пл.", N}, {"пров.", N}, {"бульв.", N}, {"наб.", N}, {"шос.", N}, {"узв.", N}, {"о.", N},
    {"оз.", N}, {"с.", N}, {"смт.", N}, {"сел.", N}, {"обл.", N}, {"корп.", N}, {"буд.", N},
    {"кв.", N}, {"оф.", N}, {"пан.", N}, {"пані.", N}, {"гр.", N}, {"акад.", N}, {"проф.", N},
    {"доц.", N}, {"канд.", N}, {"ген.", N}, {"полк.", N}, {"підполк.", N}, {"лейт.", N},
    {"кап.", N}, {"св.", N}, {"ім.", N}, {"тов.", N}, {"заст.", N}, {"зав.", N}, {"нач.", N},
    {"дир.", N}, {"нар.", N}, {"див.", N}, {"напр.", N}, {"наприкл.", N}, {"порівн.", N},
    {"пор.", N}, {"т. зв.", N}, {"так зв.", N}, {"мал.", N}, {"рис.", N}, {"табл.", N},
    {"прим.", N}, {"підп.", N}, {"абз.", N}, {"розд.", N}, {"гл.", N}, {"кн.", N}, {"вип.", N},
    {"зб.", N}, {"вид.", N}, {"ред.", N}, {"упор.", N}, {"пер.", N}, {"укр.", N}, {"рос.", N},
    {"англ.", N}, {"нім.", N}, {"фр.", N}, {"франц.", N}, {"лат.", N}, {"грец.", N},
    {"італ.", N}, {"ісп.", N}, {"япон.", N}, {"кит.", N}, {"авт.", N}, {"худ.", N}, {"муз.", N},
    {"сл.", N}, {"студ.", N}, {"викл.", N}, {"ок.", N}, {"прибл.", N}, {"бл.", N}, {"мін.", N},
    {"міс.", N}, {"вірм.", N}, {"груз.", N}, {"ст. н. с.", N}, {"н. с.", N}, {"с. н. с.", N},
    {"м. н. с.", N}, {"чл.-кор.", N}, {"о. с.", N}, {"зах.", N}, {"сх.", N}, {"пн.", N},
    {"пд.", N}, {"півн.", N}, {"півд.", N}, {"центр.", N}, {"адмін.", N}, {"тер.", N},
    {"окр.", N}, {"рай.", N}, {"місц.", N}, {"держ.", N}, {"нац.", N}, {"міжнар.", N},
    {"заг.", N}, {"ред.-упор.", N}, {"ген.-лейт.", N}, {"мл.", N}, {"старш.", N}, {"ж. д.", N},
    {"т. в. о.", N}, {"в. о.", N}, {"тимч.", N}, {"вих.", N}, {"вх.", N}, {"п.", U}, {"пп.", U},
    {"ч.", U}, {"т.", U}, {"стор.", U}, {"арк.", U}, {"кл.", U}, {"вв.", U}, {"тт.", U},
    {"чч.", U}, {"і т. д.", E}, {"і т. ін.", E}, {"т. д.", E}, {"т. ін.", E}, {"т. п.", E},
    {"і т. п.", E}, {"ін.", E}, {"тис.", E}, {"млн.", E}, {"млрд.", E}, {"трлн.", E},
    {"грн.", E}, {"коп.", E}, {"дол.", E}, {"руб.", E}, {"євр.", E}, {"н. е.", E},
    {"до н. е.", E}, {"ц. р.", E}, {"км.", E}, {"кг.", E}, {"мм.", E}, {"год.", E}, {"хв.", E},
    {"сек.", E}, {"га.", E}, {"л.", E}, {"шт.", E}, {"екз.", E}, {"тощо.", E}, {"і под.", E},
    {"та ін.", E}, {"й ін.", E}, {"і ін.", E}, {"та под.", E}, {"до т. п.", E}, {"ін. п.", E},
    {"кв. м.", E}, {"кв. км.", E}, {"куб. м.", E}, {"рт. ст.", E}, {"вт.", E}, {"ср.", E},
    {"чт.", E}, {"пт.", E}, {"сб.", E}, {"нд.", E}, {"ст.", X}, {"ст. ст.", X}, {"р.", X},
    {"рр.", X}, {"м.", X}, {"см.", X}, {"г.", X}, {"ц.", X}, {"т. р.", X},
};

/* Capitalised words that begin sentences (for A entries). */
static const char *const starters[] = {
    "Але", "А", "І", "Й", "Та", "Він", "Вона", "Воно", "Вони", "Ми", "Ви", "Я", "Це", "Ця",
    "Цей", "Ці", "Той", "Те", "Ті", "Там", "Тут", "Тоді", "Потім", "Також", "Однак", "Проте",
    "Утім", "Втім", "Як", "Коли", "Де", "Чому", "Що", "Хто", "Якщо", "За", "У", "В", "На", "З",
    "До", "Після", "Під", "Над", "Його", "Її", "Їхній", "Наш", "Ще", "Вже", "Нині", "Зараз",
    "Водночас", "Крім", "Серед", "Окрім", "Тому", "Отже", "Адже", "Бо", "Ось", "Через",
    "Деякі",
};

/* Capitalised words that continue a sentence after an abbreviation that
 * may end one ("5 a.m. Eastern", "the U.S. Navy"). */
static const char *const continuers[] = {
    "США", "Канади", "Австралії", "Гонконгу",
};

/* Month names, lower case, every form: a date fronting a sentence
 * ("8 вересня 2019 р. Російська ...") does not end it. */
static const char *const months[] = {
    "січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень",
    "вересень", "жовтень", "листопад", "грудень", "січня", "лютого", "березня", "квітня",
    "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
};

extern struct am_lang am_lang_en;

struct am_lang am_lang_uk = {
    .code = "uk",
    .locale = "uk_UA",
    .translit_id = "Ukrainian-Latin/BGN; Any-Latin; Latin-ASCII",
    .decimal_sep = ',',
    .script = USCRIPT_CYRILLIC,
    .markers = "іїєґ",
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
