"""The words the caution check looks for. Plain data, kept apart from the rules that use it so
facilitators' feedback can grow the lists without touching the logic."""

from __future__ import annotations

import codecs

# People a post can point to specifically when they follow "my", "her", "our"...
CHILD_KIN = [
    "son", "daughter", "kid", "child", "boy", "girl", "baby", "toddler", "teen", "teenager",
    "stepson", "stepdaughter", "grandson", "granddaughter", "nephew", "niece", "foster son",
    "foster daughter", "foster child", "foster kid", "little one", "youngest", "oldest",
    "eldest", "middle child", "twins",
]  # fmt: skip
ADULT_KIN = [
    "brother", "sister", "mom", "mum", "mother", "dad", "father", "husband", "wife",
    "partner", "cousin", "friend", "neighbor", "neighbour", "client", "patient", "student",
    "coworker", "colleague", "boss", "aunt", "uncle", "grandma", "grandpa", "grandmother",
    "grandfather", "roommate", "boyfriend", "girlfriend", "caseworker",
]  # fmt: skip
POSSESSIVES = ["my", "our", "his", "her", "their", "your"]

# Specific conditions (named in general they are fine: the rules need a specific person).
DIAGNOSES = [
    "adhd", "add", "autism", "autistic", "asperger's", "aspergers", "bipolar", "depression",
    "depressed", "anxiety disorder", "generalized anxiety", "panic disorder", "ptsd",
    "c-ptsd", "schizophrenia", "schizophrenic", "psychosis", "ocd", "anorexia", "bulimia",
    "eating disorder", "binge eating", "odd", "oppositional defiant", "conduct disorder",
    "reactive attachment disorder", "fasd", "fetal alcohol", "tourette's", "tourettes",
    "dyslexia", "epilepsy", "seizures", "diabetes", "cancer", "leukemia", "hiv", "aids",
    "borderline personality", "bpd", "dissociative", "selective mutism", "substance use disorder",
    "addiction", "alcoholism", "down syndrome", "cerebral palsy", "a learning disability",
    "an intellectual disability", "a developmental delay", "a mood disorder",
]  # fmt: skip
MEDICATIONS = [
    "ritalin", "adderall", "concerta", "vyvanse", "strattera", "focalin", "methylphenidate",
    "prozac", "zoloft", "lexapro", "paxil", "celexa", "wellbutrin", "effexor", "cymbalta",
    "fluoxetine", "sertraline", "escitalopram", "citalopram", "bupropion", "lithium",
    "abilify", "risperdal", "seroquel", "zyprexa", "latuda", "lamictal", "depakote",
    "clonidine", "guanfacine", "intuniv", "xanax", "klonopin", "ativan", "valium",
    "antidepressants", "antipsychotics", "ssris", "stimulants", "meds", "medication",
    "insulin", "suboxone", "methadone",
]  # fmt: skip
TREATMENT = [
    "hospitalized", "hospitalised", "in the hospital", "in hospital", "inpatient",
    "the psych ward", "a psych ward", "psychiatric hospital", "admitted", "sectioned",
    "a 5150", "5150", "residential treatment", "rehab", "detox", "in therapy", "therapy",
    "a therapist", "counseling", "counselling", "a psychiatrist",
    "the er", "the emergency room", "intensive outpatient", "partial hospitalization",
]  # fmt: skip
ABUSE = [
    "abused", "sexually abused", "molested", "assaulted", "raped", "neglected", "beaten",
    "trafficked", "groomed", "a cps case", "an open cps case", "cps involvement",
]  # fmt: skip
PLACEMENTS = [
    "foster care", "a foster home", "foster home", "a group home", "group home",
    "residential placement", "residential treatment", "kinship care", "juvenile detention",
    "juvie", "juvenile hall", "state custody", "cps custody", "a shelter", "adopted",
    "removed from the home", "removed from her home", "removed from his home",
    "removed from their home", "a psychiatric residential",
]  # fmt: skip

# Adjectives and nouns that attack a person when said of them.
INSULTS = [
    "idiot", "idiots", "moron", "morons", "stupid", "dumb", "clueless", "incompetent",
    "pathetic", "useless", "worthless", "ignorant", "loser", "losers", "fraud", "hack",
    "joke", "trash", "garbage", "disgrace", "creep", "liar", "imbecile", "cretin", "scum",
    "lowlife", "dimwit", "halfwit", "airhead", "clown", "clowns", "embarrassment",
]  # fmt: skip
# Mental-health words used as insults (in this field they hurt twice).
STIGMA = ["crazy", "psycho", "nuts", "insane", "a lunatic", "lunatic", "mental", "unhinged"]
GROUPS = [
    "people", "parents", "families", "kids", "immigrants", "addicts", "foster kids", "teens",
    "teenagers", "moms", "dads", "women", "men", "social workers", "caseworkers", "refugees",
    "foster parents", "therapists", "psychiatrists", "drug users", "homeless people",
]  # fmt: skip
DEHUMANISING = [
    "animals", "trash", "garbage", "vermin", "parasites", "scum", "subhuman", "worthless",
    "lazy", "a plague", "a disease", "the problem", "leeches", "savages", "freaks",
]  # fmt: skip

# Slurs, stored in ROT13 so the list does not read as text in the source.
SLURS = [
    codecs.decode(word, "rot13")
    for word in [
        "ergneq", "ergneqf", "ergneqrq", "fcnm", "genaal", "snttbg", "snt", "qlxr",
        "avttre", "avttn", "xvxr", "fcvp", "puvax", "jrgonpx", "tbbx", "enturnq",
    ]
]  # fmt: skip

# --- word classes for the text model ---------------------------------------------------------
# The model sees each post twice: as its words, and with the words below replaced by their
# class ("you're a total <insult>"), so a word it never met in training still counts when its
# class does. Single lower-case tokens, as care/features.py cuts them (digits read as 0).
WORD_CLASSES: dict[str, str] = {}


def _classes(name: str, words: str) -> None:
    for word in words.split():
        WORD_CLASSES.setdefault(word, name)


_classes("<self>", "i i'm im i've ive i'll ill i'd me my myself mine")
_classes("<you>", "you you're youre your yours yourself u ur ya yall y'all")
_classes(
    "<they>",
    "he she they him her them his hers their he's she's they're himself herself "
    "themselves hes shes theyre",
)
_classes(
    "<kin>",
    """son daughter kid kids child brother sister mom mum mother dad father husband
    wife partner friend bff client student colleague coworker cowoker roommate roomie niece
    nephew cousin teen teenager boyfriend girlfriend bf gf ex grandson granddaughter aunt uncle
    mentee patient stepson stepdaughter stepdad stepmom sis bro cuz grandma grandpa boss
    supervisor neighbor neighbour caseworker""",
)
_classes(
    "<death>",
    """die died dies dying dead death suicide suicidal sucide suicidel unalive
    unaliving kms ctb sewerslide funeral grave overdose overdosed od'd""",
)
_classes(
    "<harm>",
    """cut cutting cuts burn burned burning hurt hurting harm harming sh starve
    starving purge purging purged""",
)
_classes(
    "<means>",
    """pills pill pils rope noose blade blades razor razors bridge balcony roof
    ledge overpass gun guns pistol rifle firearm knife insulin meds medication bottle tracks
    cliff lake garage""",
)
_classes("<farewell>", "goodbye goodbyes bye farewell passwords forgive")
_classes(
    "<soon>",
    """tonight tonite tomorrow soon weekend midnight friday saturday sunday
    monday now rn""",
)
_classes(
    "<hopeless>",
    """burden pointless hopeless worthless numb empty trapped alone disappear
    gone escape relief unbearable exhausted""",
)
_classes(
    "<violence>",
    """kill killing shoot shooting stab stabbing punch punching beat beating
    slap choke choked strangle attack attacked smash smashing bomb murder hit hitting threatened
    threatening threat threats stalking stalked following""",
)
_classes("<weapon>", "weapon weapons knives")
_classes(
    "<insult>",
    """idiot idiots moron morons stupid dumb clueless incompetent pathetic
    useless ignorant loser losers fraud frauds hack joke trash garbage disgrace creep liar
    liars imbecile cretin scum lowlife dimwit halfwit airhead clown clowns embarrassment jerk
    bully pig fake sellout coward bozo dense hypocrite snake witch bitch b*tch asshole ass dick
    prick slut whore skank freak weirdo failure nitwit dunce buffoon fool idiotic moronic
    brainless spineless gutless pompous smug creepy disgusting vile nasty ugly fat gross
    hideous sucks mid charlatan quack crook scammer thief kidnappers snatchers arrogant
    annoying condescending unqualified dumbass dipshit shithead wanker tosser""",
)
_classes(
    "<stigma>",
    """crazy psycho psychotic nuts insane lunatic mental unhinged schizo retard
    retarded loony nutjob nutcase deranged bonkers delusional hysterical""",
)
_classes(
    "<dehumanising>",
    """animals vermin parasites savages subhuman cockroaches rats
    plague leeches breed infest scum""",
)
_classes(
    "<group>",
    """immigrants refugees muslims jews mexicans blacks gays lesbians trans
    addicts junkies welfare homeless disabled autistic natives foreigners illegals""",
)
_classes(
    "<profanity>",
    """fuck fucking f*ck f*** f**k fk stfu shit sh*t damn hell piss screw
    wtf""",
)
_classes(
    "<diagnosis>",
    """adhd autism autistic asperger's aspergers bipolar depression
    depressed depresion anxiety ptsd schizophrenia schizophrenic psychosis ocd anorexia
    anorexic bulimia bulimic odd tourette's tourettes dyslexia epilepsy seizures seizure
    diabetes cancer leukemia hiv aids bpd dissociative addiction addicted alcoholism alcoholic
    dementia alzheimer's parkinson's ms fasd rad crohn's miscarriage miscarried pregnant
    postpartum chemo fibromyalgia""",
)
_classes(
    "<medication>",
    """ritalin adderall concerta vyvanse strattera focalin methylphenidate
    prozac zoloft lexapro paxil celexa wellbutrin effexor cymbalta fluoxetine sertraline
    escitalopram citalopram bupropion lithium abilify risperdal seroquel zyprexa latuda
    lamictal depakote clonidine guanfacine intuniv xanax klonopin ativan valium
    antidepressants antipsychotics ssris stimulants suboxone methadone prep""",
)
_classes(
    "<treatment>",
    """hospitalized hospitalised hospitalization inpatient psych ward rehab
    detox therapy therapist counseling counselling psychiatrist iop outpatient sectioned
    committed admitted ect dialysis sober clean relapse relapsed recovery""",
)
_classes("<abuse>", "abused molested assaulted raped neglected trafficked groomed")
_classes(
    "<school>",
    """elementary middle high academy school preschool montessori kindergarten
    daycare grade grader freshman sophomore junior senior elem hs""",
)
_classes(
    "<placement>",
    """foster placement placements custody juvie detention shelter adopted
    adoption kinship cps""",
)
_classes(
    "<teaching>",
    """practice practiced practise practised practising role script trainer
    training scenario vignette case composite simulation hypothetical example curriculum slide
    screener qpr asist columbia workshop film novel character documentary actor video lesson
    exercise quote quoted asked ask asking question module""",
)
_classes(
    "<research>",
    """research study studies data rates rate percent statistics survey
    among prevalence evidence screening prevention awareness""",
)
_classes(
    "<praise>",
    """thank thanks thx love loved loving great brilliant amazing awesome
    incredible proud lucky legend star hero heroes gift best favourite favorite beautiful
    wonderful fantastic kind kindness inspiring inspired inspirational congrats congratulations
    bravo kudos genius nailed rocked crushed slayed respect grateful appreciate appreciated
    helpful useful insightful powerful moving adore brave courage courageous smart sharp
    clever generous warm lovely excellent superb outstanding impressive hilarious fun funny""",
)
_classes(
    "<contact>",
    """email e-mail mail cell phone number text call reach dm whatsapp
    snapchat snap insta ig venmo telegram signal address live lives apt apartment suite
    unit""",
)

# Phrases the model reads as one idea, whatever their wording ("end it all", "take my own
# life", "unalive myself" are all <end_life>). Applied to the normalised text (lower case,
# digits as 0, "@user" for handles) before the word classes above.
PHRASE_CLASSES: list[tuple[str, str]] = [
    (
        r"\b(?:kill|killing|killed|hurt|hurting|harm|harming|hang|hanging|shoot|shooting|drown|"
        r"drowning|unalive|unaliving|off|offing) (?:my|him|her|them)sel(?:f|ves)\b",
        "<end_life>",
    ),
    (r"\b(?:end|ending|ended|take|taking|took) (?:my|his|her|their) (?:own )?life\b", "<end_life>"),
    (r"\bend (?:it|it all|things|everything|this)(?: all)?(?: for good)?\b", "<end_life>"),
    (r"\b(?:kms|ctb|sewerslide|unalive\w*|kys)\b", "<end_life>"),
    (r"\b(?:want|wants|wanted|wanna|wanting|going|gonna) (?:to )?(?:die|be dead)\b", "<end_life>"),
    (
        r"\b(?:don'?t|do not|doesn'?t|does not|didn'?t) (?:want|wanna) (?:to )?(?:live|be alive|"
        r"exist|be here|wake up|be around)\b",
        "<end_life>",
    ),
    (
        r"\b(?:not|never) (?:wake|waking) up\b|\bsleep forever\b|\bstop existing\b|"
        r"\bnot (?:exist|be here|be around|be alive)\b|\bdisappear (?:forever|for good|"
        r"permanently)\b",
        "<end_life>",
    ),
    (
        r"\b(?:wasn'?t|weren'?t|won'?t be|not be|not being|no longer) (?:around|here|alive)\b",
        "<end_life>",
    ),
    (r"\bsuicid\w*|\bsucid\w*", "<suicide>"),
    (r"\b(?:better off|be better|happier|relieved|fine) without (?:me|him|her|them)\b", "<burden>"),
    (r"\b(?:a|such a|just a|the) burden\b", "<burden>"),
    (r"\b(?:no ?one|nobody) (?:would|will|'d) (?:miss|notice|care)\b", "<burden>"),
    (r"\b(?:no|not any|out of|ran out of) (?:reason|reasons|point) (?:to|in|for)?\b", "<hopeless>"),
    (
        r"\b(?:can'?t|cannot|can not) (?:go on|do this|keep going|take it|keep doing this)\b",
        "<hopeless>",
    ),
    (
        r"\b(?:have|has|had|got|made|picked|set|chose|know) (?:a|the|my) (?:plan|date|day|"
        r"decision)\b|"
        r"\b(?:i'?ve|i have|i) (?:decided|made up my mind)\b",
        "<plan>",
    ),
    (
        r"\b(?:know|looked up|googled|researched|checked) (?:how|exactly how|which|how many|"
        r"how high|how much|the tallest)\b",
        "<plan>",
    ),
    (
        r"\b(?:goodbye|good bye|farewell)\b|\blast (?:post|conference|time|thing|one|everything)\b|"
        r"\bthis is (?:it|goodbye)\b",
        "<goodbye>",
    ),
    (
        r"\b(?:thank you|thanks) for everything\b|\bsorry for everything\b|"
        r"\b(?:don'?t|do not|please don'?t) blame\b|\bnot (?:your|anyone'?s) fault\b",
        "<goodbye>",
    ),
    (
        r"\b(?:gave|giving|give|given) away\b|\b(?:wrote|writing|left|finished) (?:my |the )?"
        r"(?:letters|notes|a note|goodbye)\b|\bmy (?:will|passwords)\b|\bloose ends?\b",
        "<putting_in_order>",
    ),
    (
        r"\b(?:pills?|pils|overdose|od|rope|noose|shotgun|pistol|gun|razors?|blades?|knife|"
        r"antifreeze|lethal dose|sleeping pills)\b",
        "<means>",
    ),
    (
        r"\b(?:bridge|roof|balcony|overpass|ledge|tracks|parking (?:garage|deck)|top floor)\b",
        "<high_place>",
    ),
    (r"\b(?:jump|jumping|step|stepping) (?:off|from|in front of)\b", "<fall>"),
    (
        r"\b(?:tonight|tonite|tomorrow|this weekend|right now|rn|midnight|soon|on (?:friday|"
        r"saturday|sunday|monday)|after (?:this|the) (?:session|conference|reception|keynote))\b",
        "<soon>",
    ),
    (r"\b(?:cut|cutting|burned|burning|purged|purging|self[- ]?harm\w*|sh'?d)\b", "<self_harm>"),
    (
        r"\b(?:relapsed|relapse|slipped|broke) (?:again|after|on)?\b|\b(?:\w+ )?(?:days|months|"
        r"years) clean\b",
        "<relapse>",
    ),
    (
        r"\b(?:texted|messaged|told|said|posted|called|wrote|admitted|whispered|dm'?d) "
        r"(?:me |us |her |him |staff |the group )?(?:that |saying |to say )?",
        "<reported>",
    ),
    (
        r"\b(?:threatened|threatening|threatens|threats?) (?:to )?\b|"
        r"\bsaid (?:he|she)'?(?:ll| will) (?:kill|hurt|beat|find)\b",
        "<threatened>",
    ),
    (
        r"\b(?:he|she|they|someone|a man|a guy|a woman|my ex|my husband|my partner) "
        r"(?:has|had|is holding|pulled|waving|with) (?:a |his |her )?(?:gun|knife|weapon)\b",
        "<armed>",
    ),
    (
        r"\b(?:my ex|ex-husband|ex-wife|ex boyfriend|ex-boyfriend|abuser|stalker|stalking|"
        r"restraining order|protective order)\b",
        "<abuser>",
    ),
    (
        r"\b(?:call|get|find|where is) (?:security|911|the police|help)\b|\bhiding\b|"
        r"\bnot safe\b|\bhelp me\b",
        "<help_now>",
    ),
    (r"\b(?:you'?re|you are|ur|u r|youre) (?:a |an |such a |so |the )?", "<you_are>"),
    (
        r"\b(?:shut up|stfu|sit down|go home|get out|get off|go away|nobody asked|nobody cares|"
        r"no one cares|leave)\b",
        "<dismiss>",
    ),
    (
        r"\b(?:should be ashamed|shame on you|disgrace|how do you sleep|you make me sick|"
        r"you people)\b",
        "<shame>",
    ),
    (
        r"\b(?:watch your back|watch yourself|i know where|i'?ll find you|you'?ll regret|"
        r"you will regret|see what happens|be careful|you'?re done|it'?s over for)\b",
        "<intimidate>",
    ),
    (
        r"\b(?:is|was|has been) (?:on|taking) \w+\b|\b(?:diagnosed|dx'?d) with\b|"
        r"\b(?:is|was|has been) in (?:rehab|treatment|therapy|the hospital|inpatient|detox)\b",
        "<health_status>",
    ),
    (
        r"\b0{1,2}[- ]?(?:year|yr)s?[- ]?old\b|\b0{1,2} ?(?:yo|y/o|y\.o\.)\b|\bage 0{1,2}\b|"
        r"\b0{1,2}(?:st|nd|rd|th) grade(?:r)?\b|\(0{1,2}\)|, 0{1,2},",
        "<child_age>",
    ),
    (
        r"\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b|\b\w+ (?:at|\[at\]|\(at\)) "
        r"\w+ (?:dot|\[dot\]|\(dot\)) (?:com|org|net|edu|gov)\b",
        "<email>",
    ),
    (r"(?:\+0 ?)?\(?0{3}\)?[ .-]?0{3}[ .-]?0{4}\b|\b0{10,11}\b", "<phone>"),
    (
        r"\b0{1,5} (?:[nsew]\.? )?(?:\w+ ){1,3}(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|"
        r"court|ct|way|place|pl|blvd|boulevard|terrace)\b",
        "<street>",
    ),
]
