/* lang_en.c - the English table: abbreviations with how they behave at a
 * possible sentence end, sentence starters, decimal separator, marker
 * letters for detection and the ICU transliteration to Latin ASCII.
 * Written for alignmem from general knowledge of English typography.
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
    {"Mr.", N}, {"Mrs.", N}, {"Ms.", N}, {"St.", N}, {"Sens.", N}, {"Reps.", N}, {"Wm.", N},
    {"Chas.", N}, {"Geo.", N}, {"Jas.", N}, {"Messrs.", N}, {"Brig.", N}, {"Lt. Gen.", N},
    {"Maj. Gen.", N}, {"Mmes.", N}, {"Dr.", N}, {"Prof.", N}, {"Gen.", N}, {"Gov.", N},
    {"Sen.", N}, {"Rep.", N}, {"Rev.", N}, {"Lt.", N}, {"Col.", N}, {"Maj.", N}, {"Capt.", N},
    {"Sgt.", N}, {"Cpl.", N}, {"Pvt.", N}, {"Adm.", N}, {"Cmdr.", N}, {"Pres.", N},
    {"Supt.", N}, {"Det.", N}, {"Insp.", N}, {"Hon.", N}, {"Mme.", N}, {"Mlle.", N}, {"Fr.", N},
    {"Br.", N}, {"Atty.", N}, {"Amb.", N}, {"Sec.", N}, {"Mt.", N}, {"Ft.", N}, {"Pt.", N},
    {"e.g.", N}, {"i.e.", N}, {"viz.", N}, {"cf.", N}, {"vs.", N}, {"v.", N}, {"approx.", N},
    {"ca.", N}, {"a.k.a.", N}, {"Fig.", N}, {"fig.", N}, {"Figs.", N}, {"Eq.", N}, {"eq.", N},
    {"Nos.", N}, {"nos.", N}, {"Vol.", N}, {"vol.", N}, {"Vols.", N}, {"vols.", N}, {"Ch.", N},
    {"ch.", N}, {"Chap.", N}, {"chap.", N}, {"Sect.", N}, {"sect.", N}, {"Art.", N},
    {"art.", N}, {"Para.", N}, {"para.", N}, {"Op.", N}, {"op.", N}, {"ed.", N}, {"eds.", N},
    {"trans.", N}, {"repr.", N}, {"rev.", N}, {"Ps.", N}, {"Mk.", N}, {"Jn.", N}, {"Lk.", N},
    {"Rom.", N}, {"Ex.", N}, {"ex.", N}, {"dept.", N}, {"Dept.", N}, {"Univ.", N}, {"univ.", N},
    {"Assn.", N}, {"Assoc.", N}, {"Bros.", N}, {"Dist.", N}, {"Twp.", N}, {"Hwy.", N},
    {"Rte.", N}, {"Pl.", N}, {"Sq.", N}, {"Ln.", N}, {"Ct.", N}, {"Cir.", N}, {"Pkwy.", N},
    {"Ter.", N}, {"Esq.", N}, {"Hosp.", N}, {"Inst.", N}, {"Natl.", N}, {"Intl.", N},
    {"Sch.", N}, {"Coll.", N}, {"Acad.", N}, {"No.", U}, {"no.", U}, {"p.", U}, {"pp.", U},
    {"b.", U}, {"d.", U}, {"c.", U}, {"ext.", U}, {"tel.", U}, {"arts.", U}, {"Arts.", U},
    {"secs.", U}, {"paras.", U}, {"chs.", U}, {"Jan.", U}, {"Feb.", U}, {"Mar.", U},
    {"Apr.", U}, {"Jun.", U}, {"Jul.", U}, {"Aug.", U}, {"Sep.", U}, {"Sept.", U}, {"Oct.", U},
    {"Nov.", U}, {"Dec.", U}, {"ll.", U}, {"nr.", U}, {"Nr.", U}, {"Rs.", U}, {"Reg.", U},
    {"Cl.", U}, {"etc.", E}, {"et al.", E}, {"Inc.", E}, {"Ltd.", E}, {"Corp.", E}, {"Co.", E},
    {"Ph.D.", E}, {"M.D.", E}, {"B.A.", E}, {"M.A.", E}, {"B.Sc.", E}, {"M.Sc.", E},
    {"D.C.", E}, {"U.S.A.", E}, {"B.C.", E}, {"B.C.E.", E}, {"C.E.", E}, {"P.S.", E},
    {"ft.", E}, {"lb.", E}, {"lbs.", E}, {"oz.", E}, {"mi.", E}, {"km.", E}, {"kg.", E},
    {"sq.", E}, {"yr.", E}, {"yrs.", E}, {"hr.", E}, {"hrs.", E}, {"min.", E}, {"mins.", E},
    {"mo.", E}, {"mos.", E}, {"wk.", E}, {"wks.", E}, {"pct.", E}, {"bn.", E}, {"mln.", E},
    {"tn.", E}, {"Plc.", E}, {"LLC.", E}, {"L.P.", E}, {"N.V.", E}, {"S.A.", E}, {"A.G.", E},
    {"a.m.", E}, {"p.m.", E}, {"A.M.", E}, {"P.M.", E}, {"U.S.", A}, {"U.K.", A}, {"U.N.", A},
    {"E.U.", A}, {"Jr.", A}, {"Sr.", A}, {"Ave.", A}, {"Blvd.", A}, {"Rd.", A}, {"A.D.", A},
    {"Mon.", A}, {"Tue.", A}, {"Tues.", A}, {"Wed.", A}, {"Thu.", A}, {"Thur.", A},
    {"Thurs.", A}, {"Fri.", A}, {"N.Y.", A}, {"L.A.", A}, {"N.J.", A}, {"Calif.", A},
    {"Fla.", A}, {"Mass.", A}, {"Penn.", A}, {"Wash.", A}, {"Ore.", A}, {"Tex.", A},
    {"Ariz.", A}, {"Colo.", A}, {"Conn.", A}, {"Ill.", A}, {"Mich.", A}, {"Minn.", A},
    {"Ga.", A}, {"Va.", A}, {"Ky.", A}, {"Tenn.", A}, {"Ala.", A}, {"La.", A}, {"Md.", A},
    {"Neb.", A}, {"Nev.", A}, {"Okla.", A}, {"Wis.", A}, {"Wyo.", A}, {"Sat.", A|C},
    {"Sun.", A|C},
};

/* Capitalised words that begin sentences (for A entries). */
static const char *const starters[] = {
    "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "In", "On", "At", "By",
    "For", "From", "To", "With", "Without", "But", "And", "Or", "So", "Yet", "This", "That",
    "These", "Those", "There", "Here", "His", "Her", "Its", "Their", "Our", "My", "Your",
    "What", "When", "Where", "Why", "How", "Who", "Which", "Whose", "If", "As", "After",
    "Before", "Since", "During", "Under", "Over", "Some", "Many", "Most", "Much", "Several",
    "All", "Both", "Each", "Every", "No", "Not", "One", "Two", "Three", "Four", "Five", "Six",
    "Seven", "Eight", "Nine", "Ten", "According", "However", "Meanwhile", "Also", "Still",
    "While", "Although", "Though", "Because", "Despite", "Instead", "Then", "Now", "Today",
    "Yesterday", "Last", "Next", "Earlier", "Later", "Police", "Officials", "Other", "Such",
    "Only", "Even", "More", "Less", "Just", "Another",
};

/* Capitalised words that continue a sentence after an abbreviation that
 * may end one ("5 a.m. Eastern", "the U.S. Navy"). */
static const char *const continuers[] = {
    "ET", "EDT", "EST", "CT", "CDT", "CST", "MT", "MDT", "MST", "PT", "PDT", "PST", "GMT",
    "BST", "UTC", "CET", "CEST", "Eastern", "Central", "Mountain", "Pacific", "Navy", "Army",
    "Air", "Marine", "Marines", "Coast", "Congress", "Senate", "House", "Supreme", "Circuit",
    "District", "Court", "Department", "Embassy", "President", "Secretary", "Attorney",
    "Ambassador", "Open", "Government", "Treasury", "Federal",
};

/* Month names, lower case, every form: a date fronting a sentence
 * ("8 вересня 2019 р. Російська ...") does not end it. */
static const char *const months[] = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
};

struct am_lang am_lang_en = {
    .code = "en",
    .locale = "en_US",
    .translit_id = "Any-Latin; Latin-ASCII",
    .decimal_sep = '.',
    .script = USCRIPT_LATIN,
    .markers = NULL,
    .initials_after_surname = AM_SURNAME_COMMA_INITIALS,
    .abbrs = abbrs,
    .n_abbrs = sizeof abbrs / sizeof abbrs[0],
    .starters = starters,
    .n_starters = sizeof starters / sizeof starters[0],
    .months = months,
    .n_months = sizeof months / sizeof months[0],
    .continuers = continuers,
    .n_continuers = sizeof continuers / sizeof continuers[0],
    .also = NULL,
    .has_table = 1,
    .stem_len = 5,
};
