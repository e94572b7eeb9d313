"""Seeded variety for the corpus: posts composed from slots, then restyled the ways people
type on a phone (lower case, no punctuation, typos, text-speak, hashtags and mentions).

Hand-written posts (care/corpus/*.txt) stay the majority of every kind: `generate()` makes at
most as many posts of a kind as there are hand-written ones (docs/care.md, Provenance). The
same seed gives the same posts, so `make care-model` is reproducible.
"""

# Templates read best one per line, however long:
# ruff: noqa: E501, RUF001
from __future__ import annotations

import random
import re
from collections.abc import Callable

from .corpus import Labelled

SEED = 2012

NAMES = """Tyler Emma Marcus Sophia Jamal Priya Dana Kevin Maria Jorge Aisha Liam Noah Ava Ethan
Mia Lucas Chloe Mateo Zoe Caleb Aaliyah Brandon Destiny Hunter Jada Kai Leah Omar
Riley Xavier Nevaeh Carlos Fatima Devon Keisha Tomas Lin Ravi Grace Hannah Jose Ana
Elena Malik DeShawn Brianna Trevor Jasmine Luis Rosa Ahmed Yusuf Mei Hiro Olivia
Isaiah Gabriel Amara""".split()  # noqa: SIM905
ADULT_NAMES = """Karen Steve Lisa Mike Heather Derek Patricia Vanessa Ken Jackie Bill Janet Frank
Cheryl Rob Paula Greg Linda Tanya Carla Sue Pam Rick Gina Erin Luke Kim Nadia Jim
Carol Dave Beth Monica Ray Josh Kara Pete Meg Connie Diane Tom Jen Sam Kelly Ravi Anke
Brenda""".split()  # noqa: SIM905
HANDLES = """@kelly_r @sam_k @jen_m @devon @lin_wei @maria_f @tomas @ravi_k @dr_rivera @dr_okafor
@youth_rep @keisha_b @dana_w @mike_t @grace_h @priya_n @chris_p @alex_j""".split()  # noqa: SIM905
TOWNS = """Columbus Dayton Akron Toledo Canton Lima Marion Xenia Parma Springfield Zanesville
Lancaster Mansfield Hamilton Westerville Dublin Hilliard Gahanna Findlay Athens""".split()  # noqa: SIM905
SCHOOLS = """Lincoln Roosevelt Jefferson Oak Hill Maple Grove Riverside Westside Eastmoor Brookside
Pine Street Garfield Hillcrest Kennedy Washington Highland Parkside Northview
Cedarwood""".split()  # noqa: SIM905
STREETS = """Maple Oak Elm Birch Pine Cherry Walnut Chestnut Linden Sunset Lakeview Riverside Main
High Broad Front Cleveland Karl Morse Parsons""".split()  # noqa: SIM905
SUFFIXES = """Street St Avenue Ave Road Rd Lane Drive Dr Court Way Place Blvd""".split()  # noqa: SIM905
HASHTAGS = """#TI2012 #TIopen #youthvoice #familiesmatter #mentalhealth #TI2012day2 #tweetseat
#fostercare #systemsofcare""".split()  # noqa: SIM905


class Slots:
    """Random choices from a seeded generator, named for what they fill."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: str | list[str]) -> str:
        items = options if isinstance(options, list) else options.split("|")
        return self.rng.choice(items)

    def maybe(self, text: str, p: float = 0.5) -> str:
        return text if self.rng.random() < p else ""

    def name(self) -> str:
        return self.rng.choice(NAMES)

    def adult(self) -> str:
        return self.rng.choice(ADULT_NAMES)

    def handle(self) -> str:
        return self.rng.choice(HANDLES)

    def town(self) -> str:
        return self.rng.choice(TOWNS)

    def age(self, low: int = 3, high: int = 17) -> int:
        return self.rng.randint(low, high)

    def phone(self) -> str:
        area = self.pick("614|937|330|419|513|216|740|440|567|234")
        line = f"{self.rng.randint(0, 9999):04d}"
        mid = self.pick("555|555|555|" + str(self.rng.randint(201, 989)))
        form = self.rng.randrange(6)
        return [
            f"{area}-{mid}-{line}",
            f"({area}) {mid}-{line}",
            f"{area}.{mid}.{line}",
            f"{area} {mid} {line}",
            f"{area}{mid}{line}",
            f"+1 {area} {mid} {line}",
        ][form]

    def email(self) -> str:
        first = self.pick(NAMES + ADULT_NAMES).lower()
        last = self.pick("smith|jones|garcia|lee|patel|nguyen|brown|wright|lopez|chen|kim|reed")
        user = self.pick(
            [f"{first}.{last}", f"{first}{last[0]}", f"{first}_{last}", f"{first[0]}{last}",
             f"{first}{self.rng.randint(70, 2012)}"]
        )  # fmt: skip
        domain = self.pick(
            "gmail.com|yahoo.com|hotmail.com|outlook.com|aol.com|icloud.com|familynet.org|"
            "countymh.gov|peerlink.org|ohiofamilies.org|example.org|youthmove.net"
        )
        return f"{user}@{domain}"

    def address(self) -> str:
        number = self.rng.randint(1, 9999)
        street = f"{self.pick(STREETS)} {self.pick(SUFFIXES)}"
        unit = self.maybe(
            self.pick([", Apt 3B", ", Unit 2", ", Apt 12", " #4", ", Suite 200"]), 0.3
        )
        town = self.maybe(f", {self.town()}", 0.4)
        return f"{number} {self.pick(['', 'N. ', 'E. ', 'W. ', 'S. '])}{street}{unit}{town}"


# --- crisis -------------------------------------------------------------------------------------


def _crisis(s: Slots) -> str:
    family = s.rng.randrange(7)
    if family == 0:  # direct
        want = s.pick(
            "I want to|I just want to|I really want to|Honestly I want to|Part of me wants to|I keep wanting to|I need to"
        )
        die = s.pick(
            "die|end it|end my life|kill myself|stop existing|disappear forever|go to sleep and never wake up|be gone for good|end it all|not be alive anymore"
        )
        tail = s.pick(
            [
                "",
                " tonight",
                " after this session",
                " when I get back to the hotel",
                " and I don't know who to tell",
                " and nobody here knows",
                ". I'm not okay",
                " and I mean it",
                " so badly",
            ]
        )
        return f"{want} {die}{tail}."
    if family == 1:  # indirect
        return s.pick([
            f"{s.pick('Everyone|My family|My kids|My team|The world|My husband|My wife')} would be better off {s.pick('without me|if I was gone|if I was not here|if I disappeared')}.",
            f"I’m {s.pick('such a burden|a burden to everyone|just a burden|nothing but a burden')}{s.pick(['', ' and it will be over soon', '. Not for much longer though', '. I am done being one'])}.",
            f"I won’t be {s.pick('around|here|alive')} {s.pick('for the next conference|much longer|by next week|after this weekend|to see the results')}.",
            f"I {s.pick('can|honestly can')}'t see a reason to {s.pick('keep living|stay alive|keep going|wake up tomorrow')}.",
            f"There’s no point {s.pick('in living|in going on|to any of it')} anymore.",
            f"I’m {s.pick('so tired of|done with|sick of')} {s.pick('being alive|living|existing|fighting to stay alive')}.",
            f"Nobody would {s.pick('miss me|notice if I was gone|care if I died')}{s.pick(['', ' anyway', '. I checked', ' if I stopped showing up'])}.",
        ])  # fmt: skip
    if family == 2:  # third person
        who = s.pick(
            "My friend|My colleague|My son|My daughter|A student of mine|One of the youth I work with|My client|My sister|My roommate|A mom in our group|My partner|My brother|A kid on my caseload|My coworker|A teen in our program|My best friend|My niece|My husband"
        )
        he = (
            s.pick("he|she|they")
            if who.split()[-1] in {"friend", "client", "partner", "coworker", "colleague"}
            else ("he" if who.split()[-1] in {"son", "brother", "husband"} else "she")
        )
        them = {"he": "him", "she": "her", "they": "them"}[he]
        self_ = {"he": "himself", "she": "herself", "they": "themselves"}[he]
        told = s.pick(
            "just texted me that|told me|just messaged that|posted that|said at lunch that|called me crying and said|left a voicemail saying|wrote in a note that|told her counselor that|admitted to me that"
        )
        risk = s.pick(
            [
                f"{he} wants to die",
                f"{he} has a plan to kill {self_}",
                f"{he} is going to end it tonight",
                f"{he} doesn’t want to live anymore",
                f"{he} took a bunch of pills",
                f"{he} has been cutting again",
                f"{he} is going to jump",
                f"{he} has a gun and wants it to be over",
                f"everyone would be better off without {them}",
                f"{he} is saying goodbye to everyone",
                f"{he} has been saving pills",
                f"{he} won’t be here tomorrow",
            ]
        )
        after = s.pick(
            [
                "",
                " What do I do?",
                " I'm leaving the session.",
                f" I can’t reach {them}.",
                " I'm shaking.",
                " Calling 911 now.",
                " Please, anyone in Columbus?",
                " I'm scared.",
            ]
        )
        return f"{who} {told} {risk}.{after}"
    if family == 3:  # danger from another person
        who = s.pick(
            "There's a man|A guy|Someone|A woman|My ex|Her ex-husband|A dad|Some man|A stranger"
        )
        what = s.pick(
            "with a gun|with a knife|threatening to hurt people|saying he'll kill his wife|screaming that he'll shoot someone|who just hit a woman|who keeps following me|waving a knife|with a weapon|threatening the staff|grabbing a kid"
        )
        where = s.pick(
            "in the lobby|outside the ballroom|in the parking garage|by entrance C|near registration|in the hotel bar|outside my room|by the elevators|in the family room|on the 3rd floor"
        )
        after = s.pick(
            [
                "",
                " Get security!",
                " Call 911.",
                " I'm hiding.",
                " Please stay inside.",
                " I'm scared.",
                " Someone help.",
            ]
        )
        return f"{who} {what} {where}.{after}"
    if family == 4:  # means and timeframe
        have = s.pick(
            [
                "I have the pills ready",
                "I've saved up enough pills",
                "I have a gun in my car",
                "I bought a rope",
                "I know which bridge",
                "I have a plan",
                "I have the razor blades with me",
                "I looked up how many pills it takes",
                "I found out how high the balcony is",
            ]
        )
        when = s.pick(
            [
                "",
                " for tonight",
                " and a date",
                ". It's happening this weekend",
                ". After the closing session",
                ". Friday night",
                ". When I get home Sunday",
                ". Tonight's the night",
            ]
        )
        return f"{have}{when}."
    if family == 5:  # goodbye and preparation
        return s.pick([
            f"{s.pick('Thank you for everything|Thanks for everything|Love you all|I love you all')}. {s.pick('This is my last conference|This is goodbye|You won’t see me again|I won’t be at the next one|I’m sorry for everything')}.",
            f"I {s.pick('gave away|have given away|just gave away')} {s.pick('my things|my books|my cat|my dog|everything I own|my jewellery')}. {s.pick('I won’t need them|Everything is in order now|It’s time|I’m ready')}.",
            f"I {s.pick('wrote|left|finished')} {s.pick('goodbye letters|a note|letters to my kids|my last letters')} {s.pick('in my suitcase|for my family|last night|on the desk')}. {s.pick('I’m ready|It’s almost over|They’ll understand|Please don’t blame yourselves')}.",
        ])  # fmt: skip
    # relapse
    what = s.pick(
        "cut again|relapsed on self harm|hurt myself again|started cutting again|burned myself again|purged again|overdosed again"
    )
    after = s.pick(
        [
            "",
            " after two years clean",
            " last night",
            " in the hotel bathroom",
            " and I want to die",
            " and the suicidal thoughts are back",
            " and I can't stop",
        ]
    )
    return f"I {what}{after}."


# --- harassment ---------------------------------------------------------------------------------

INSULT_NOUNS = "idiot|moron|fraud|hack|joke|clown|loser|liar|disgrace|creep|embarrassment|bully|fake|coward|quack|waste of space|menace|parasite|bozo"
INSULT_ADJ = "stupid|clueless|pathetic|useless|incompetent|worthless|ignorant|arrogant|dense|spineless|smug|disgusting|brainless|delusional"


def _target(s: Slots) -> str:
    return s.pick(
        [
            s.handle(),
            s.handle(),
            "The speaker",
            "This presenter",
            "The moderator",
            "That guy",
            "The woman on the panel",
            "The keynote speaker",
            "She",
            "He",
            "That panelist",
            s.adult(),
            f"Dr. {s.adult()}",
        ]
    )


def _harassment(s: Slots) -> str:
    family = s.rng.randrange(6)
    if family == 0:
        return f"{_target(s)} is {s.pick('a|such a|a total|an absolute|a complete')} {s.pick(INSULT_NOUNS)}{s.pick(['', ' and everyone knows it', '. Period', ', honestly', ' who should never present again'])}."
    if family == 1:
        return f"{_target(s)} is {s.pick('so|completely|totally|just')} {s.pick(INSULT_ADJ)}{s.pick(['', ' it hurts', ', unbelievable', '. Get them off the stage'])}."
    if family == 2:
        handle = s.handle()
        line = s.pick(
            [
                "nobody wants you here",
                "go home",
                "sit down and shut up",
                "you should be ashamed of yourself",
                "you have no business being on that stage",
                "you're the reason families give up",
                "get out of this field",
                "do everyone a favour and stop talking",
                "you make me sick",
                "nobody cares what you think",
                "you're a danger to every family you touch",
                "quit before you hurt more kids",
                "your kids deserve better than you",
            ]
        )
        return f"{handle} {line}."
    if family == 3:
        handle = s.handle()
        threat = s.pick(
            [
                "I'll be waiting for you after your talk",
                "watch your back tonight",
                "I know which hotel you're in",
                "you'll regret this",
                "I'm going to find you in the parking lot",
                "someone should shut you up for good",
                "keep talking and see what happens",
                "I know where you live",
                "I'll make sure you never work again",
                "I hope you get hurt on the way home",
            ]
        )
        return f"{handle} {threat}."
    if family == 4:
        group = s.pick(
            "Immigrants|Refugees|Addicts|Foster kids|Welfare moms|Homeless people|Social workers|Teen moms|Poor parents|Gay parents|Those families|Disabled people|Muslims|Trans kids"
        )
        says = s.pick(
            [
                "are animals",
                "are parasites",
                "are trash",
                "are lazy and worthless",
                "are a plague on our schools",
                "don't deserve to have kids",
                "are all liars",
                "are a drain on everyone",
                "should be kept away from children",
                "ruin everything they touch",
            ]
        )
        return f"{group} {says}."
    return f"{_target(s)} is {s.pick('crazy|a psycho|insane|a lunatic|mental|unhinged|off her meds|nuts')}{s.pick(['', ', don’t listen to her', ', someone lock her up', ' and should not be presenting'])}."


# --- health details -----------------------------------------------------------------------------

CONDITIONS = "bipolar disorder|schizophrenia|PTSD|depression|OCD|anorexia|an eating disorder|ADHD|autism|epilepsy|cancer|HIV|a drinking problem|an opioid addiction|borderline personality disorder|severe anxiety|panic attacks|dementia"
MEDS = "Zoloft|Prozac|lithium|Seroquel|Adderall|Ritalin|Lexapro|Abilify|Risperdal|Xanax|antidepressants|antipsychotics|methadone|Suboxone|Wellbutrin"
PLACES = "rehab|inpatient|the psych ward|a psychiatric hospital|detox|residential treatment|intensive outpatient|the ER after a panic attack"


def _person(s: Slots) -> str:
    return s.pick(
        [
            s.adult(),
            s.adult(),
            s.handle(),
            "My brother",
            "My sister",
            "My husband",
            "My wife",
            "My mom",
            "My dad",
            "My client",
            "My coworker",
            "Our director",
            "My son",
            "My daughter",
            "The presenter from Ohio",
            "The mom on the panel",
            "My roommate",
            "Her son",
            "His wife",
            f"{s.adult()}'s son",
            f"{s.adult()}'s daughter",
        ]
    )


def _health(s: Slots) -> str:
    family = s.rng.randrange(4)
    who = _person(s)
    if family == 0:
        return f"{who} {s.pick('has|was diagnosed with|struggles with|is being treated for|has had|just found out they have')} {s.pick(CONDITIONS)}{s.pick(['', ' and nobody at work knows', ', she told me at lunch', ' since college', '. Keep it quiet', ' and is doing better now'])}."
    if family == 1:
        return f"{who} {s.pick('is on|takes|just started|was put on|stopped taking')} {s.pick(MEDS)}{s.pick(['', ' and it shows', ' every morning', ' for years now', ' and feels flat'])}."
    if family == 2:
        return f"{who} {s.pick('was in|just got out of|is back in|spent a month in|went to')} {s.pick(PLACES)}{s.pick(['', ' last week', ' this spring', ' again', ' for the third time'])}."
    return f"I {s.pick('have|was diagnosed with|live with|am in treatment for')} {s.pick(CONDITIONS)}{s.pick(['', ' and I’m presenting today', ' and this crowd is a lot', ', not ashamed to say it', ' since I was a teen'])}."


# --- a child or family identifiable -------------------------------------------------------------


def _child(s: Slots) -> str:
    family = s.rng.randrange(4)
    name, age = s.name(), s.age()
    school = (
        f"{s.pick(SCHOOLS)} {s.pick('Elementary|Middle School|High School|Elementary|Academy')}"
    )
    if family == 0:
        sep = s.pick([f", {age},", f" ({age})", f", age {age},", f" is {age} and"])
        what = s.pick(
            [
                "was placed in foster care last week",
                "ran away from the group home again",
                "goes to " + school,
                "was removed from home on Monday",
                "is back in juvenile detention",
                "just moved to a new placement in " + s.town(),
                "got suspended again",
                "told her teacher everything",
            ]
        )
        return f"{name}{sep} {what}."
    if family == 1:
        kin = s.pick(
            "My son|My daughter|Our foster son|Our foster daughter|My grandson|My niece|My nephew|Her son|Our kinship kiddo"
        )
        return f"{kin} {name} {s.pick(['goes to', 'is in 3rd grade at', 'just started at', 'got sent home from', 'is bullied every day at'])} {school}{s.pick(['', ' in ' + s.town()])}."
    if family == 2:
        return f"My {age}-year-old at {school} {s.pick(['got restrained today', 'was suspended for a drawing', 'got outed by a counselor', 'came home with bruises', 'has no friends and nobody helps'])}."
    return f"{age}-year-old {name} from {s.town()} {s.pick(['is in state custody now', 'finally got an IEP', 'went into a group home', 'is waiting for a placement', 'testified at the hearing'])}."


# --- contact details ----------------------------------------------------------------------------


def _contact(s: Slots) -> str:
    family = s.rng.randrange(4)
    if family == 0:
        return f"{s.pick(['Email me at', 'My email is', 'Write to', 'Reach me at', 'Slides if you email', 'ping me:'])} {s.email()}{s.pick(['', ' for the slides', ', happy to share', ' anytime'])}"
    if family == 1:
        return f"{s.pick(['Call me at', 'Text me', 'My cell is', 'My number:', 'Call or text', 'Reach me on'])} {s.phone()}{s.pick(['', ' if you want the toolkit', ' after 5', ', I’m in the lobby'])}"
    if family == 2:
        return f"{s.pick(['We live at', 'Drop it off at', 'My address is', 'Come by', 'Mail the forms to', 'Party at my place,'])} {s.address()}{s.pick(['', ', see you there', ' after the conference'])}"
    value = s.pick(
        [
            f"{s.email().split('@')[0]} at {s.pick('gmail|yahoo|familynet')} dot {s.pick('com|org|net')}",
            s.phone(),
        ]
    )
    return f"{s.handle()} {s.pick(['here is my contact:', 'reach me:', 'my cell:', 'contact me'])} {value}"


# --- benign: everyday talk, and twins of the kinds' templates with the risk taken out ------------
# The twins share the positive templates' scaffolding (handles, "Dr. X", "my friend told me",
# "I have … ready"), so the model learns the part that carries the risk, not the scaffolding.


def _benign_crisis_twin(s: Slots) -> str:
    family = s.rng.randrange(6)
    if family == 0:
        want = s.pick(
            "I want to|I just want to|I really want to|Honestly I want to|Part of me wants to|I need to"
        )
        what = s.pick(
            "go home and sleep for a week|hear more from the youth panel|try that framework with our team|eat everything at the dessert table|move to Oregon after that talk|be in every session at once|hug every presenter today|start a parent network in our county|disappear into my hotel bed with room service"
        )
        return f"{want} {what}{s.pick(['', ' tonight', ' after this session', '!', ' lol'])}."
    if family == 1:
        who = s.pick(
            "My friend|My colleague|My son|My daughter|A student of mine|One of the youth I work with|My client|My sister|My roommate|A mom in our group|My partner|My brother|My coworker|A teen in our program|My best friend"
        )
        told = s.pick(
            "just texted me that|told me|just messaged that|posted that|said at lunch that|called me and said|wrote in a card that"
        )
        news = s.pick(
            [
                "she got into college",
                "he loved the youth session",
                "she's doing so much better",
                "he made a safety plan with his therapist and it's working",
                "she wants to present next year",
                "he finally feels hopeful",
                "she passed her licensing exam",
                "he's proud of me for being here",
                "the kids are asleep and the house is quiet",
                "she's saying hi to everyone here",
            ]
        )
        return f"{who} {told} {news}{s.pick(['!', '.', '. Made my day.', '. So proud.'])}"
    if family == 2:
        who = s.pick(
            "There's a man|A guy|Someone|A woman|A volunteer|Some kind person|A staff member"
        )
        what = s.pick(
            "handing out free coffee|with a lost badge|looking for room 204|selling books|with a cart of extra chairs|giving directions|with a box of spare chargers|playing the piano"
        )
        where = s.pick(
            "in the lobby|outside the ballroom|in the parking garage|by entrance C|near registration|in the hotel bar|by the elevators|on the 3rd floor"
        )
        return f"{who} {what} {where}{s.pick(['.', '!', '. Go say hi.', '. Bless them.'])}"
    if family == 3:
        have = s.pick(
            [
                "I have the slides ready",
                "I've saved up enough vacation days",
                "I have a plan for our county",
                "I know which session I'm going to",
                "I have the handouts in my car",
                "I looked up how many sessions I can fit in",
                "I found out how far the restaurant is",
            ]
        )
        return f"{have}{s.pick(['', ' for tonight', ' and a date', '. Friday it is', '. After the closing session'])}."
    if family == 4:
        return f"{s.pick(['Thank you for everything', 'Thanks for a wonderful week', 'Love you all'])}. {s.pick(['This is my last conference before I retire', 'See you all next year', 'Safe travels home', 'Back to real life on Monday', 'I will miss this room'])}."
    return f"I {s.pick('gave away|just gave away|handed out')} {s.pick('my extra tote bags|all our brochures|the leftover toolkits|my spare pens')}{s.pick(['', ' at the booth', ' to the youth panel', ', first come first served'])}."


def _benign_person_twin(s: Slots) -> str:
    family = s.rng.randrange(5)
    if family == 0:
        praise = s.pick(
            "brilliant|so inspiring|a gift to this field|the best speaker today|a legend|so kind to everyone|hilarious and sharp|the reason I came"
        )
        return f"{_target(s)} is {praise}{s.pick(['', '!', '. Thank you.', ' #TI2012'])}"
    if family == 1:
        line = s.pick(
            [
                "everyone wants you back next year",
                "you made me cry in the best way",
                "thank you for your honesty",
                "you nailed it",
                "can you share your slides",
                "you deserve that standing ovation",
                "see you at the reception",
                "you're a star",
                "I disagree, but I loved the talk",
                "save me a seat",
                "your kids must be so proud of you",
                "your team is lucky to have you",
                "you should be proud of that work",
                "your talk made my whole week",
                "you have no idea how much that helped",
                "don't you dare stop presenting",
                "you were the best part of today",
                "where did you get your data",
                "are you on the panel tomorrow",
                "you're hilarious, never change",
                "your slides were chaos and I loved them",
                "you shut that question down so gracefully",
            ]
        )
        return f"{s.handle()} {line}{s.pick(['.', '!', ' :)', ', seriously.', '!!'])}"
    if family == 2:
        return f"{s.handle()} {s.pick(['I will be waiting for you at the reception', 'I know which session you are in, save me a seat', 'I will find you at lunch', 'I will make sure your slides get to the team', 'you will love the next session'])}{s.pick(['!', '.', ' :)'])}"
    if family == 3:
        group = s.pick(
            "Immigrant families|Refugees|Parents in recovery|Foster kids|Young moms|Homeless families|Social workers|Teen parents|Families in poverty|Gay and lesbian foster parents|Disabled parents|Muslim families|Trans kids"
        )
        says = s.pick(
            [
                "deserve support, not judgement",
                "are experts in their own lives",
                "need services in their own language",
                "are too often left out of these rooms",
                "face barriers we built",
                "should be at the table when we design programs",
            ]
        )
        return f"{group} {says}."
    return f"{_target(s)} {s.pick(['said the system is broken', 'argued that the policy is a mess', 'called the funding model a joke', 'showed data that the program is failing', 'made a strong case against residential care'])}{s.pick(['.', '. Agreed.', '. Not sure I agree.'])}"


def _benign_health_twin(s: Slots) -> str:
    who = s.pick(
        [
            s.adult(),
            f"Dr. {s.adult()}",
            s.handle(),
            "The presenter",
            "My colleague",
            "Our director",
            "The panel",
        ]
    )
    return f"{who} {s.pick(['presented new research on', 'wrote a great guide on', 'runs a clinic for kids with', 'spoke about stigma around', 'has been advocating for families affected by', 'shared data on'])} {s.pick(CONDITIONS)}{s.pick(['.', '. Must read.', ' #TI2012', '. Slides in the app.'])}"


def _benign_child_twin(s: Slots) -> str:
    family = s.rng.randrange(3)
    if family == 0:
        return f"In the vignette, a {s.age()}-year-old {s.pick('girl|boy')} {s.pick(['enters foster care', 'is suspended from school', 'tells a teacher about home', 'waits months for an evaluation'])}. {s.pick(['What would you do?', 'Composite case, great discussion.', 'Names changed, lessons real.'])}"
    if family == 1:
        school = f"{s.pick(SCHOOLS)} {s.pick('Elementary|Middle School|High School|Academy')}"
        return f"The {school} team {s.pick(['is presenting their school-based model at 2pm', 'won the innovation award', 'runs a great peer mentoring program', 'shared their attendance data'])}{s.pick(['!', '.'])}"
    return f"{s.adult()} from {s.town()} {s.pick(['asked the best question of the day', 'is running the parent meetup', 'presented their county data', 'just joined our board'])}{s.pick(['.', '!'])}"


def _benign_contact_twin(s: Slots) -> str:
    family = s.rng.randrange(3)
    if family == 0:
        number = s.pick(
            [
                "1-800-273-8255",
                "988",
                "1-800-662-4357",
                "1-866-488-7386",
                "211",
                "1-800-799-7233",
                "1-888-555-0199",
            ]
        )
        return f"{s.pick(['Call the helpline at', 'The national line is', 'Families can call', 'Crisis support:'])} {number}{s.pick(['', ', free and confidential', ', 24/7', '.'])}"
    if family == 1:
        return f"{s.pick(['Session', 'Workshop'])} {s.rng.randint(1, 9)}{s.pick('A|B|C')} moved to room {s.rng.randint(100, 1499)} at {s.rng.randint(1, 5)}:{s.pick('00|15|30|45')}{s.pick(['.', ', second floor.'])}"
    return f"{s.pick(['Slides are at', 'The toolkit is free at', 'Resources:', 'More at'])} {s.pick(['samhsa.gov', 'nami.org', 'ti2012.example.org/slides', 'familyvoice.example.org/toolkit', 'afsp.org'])}{s.pick(['', ' #TI2012', '.'])}"


def _benign_first_person(s: Slots) -> str:
    """The author's own day at a conference: the hotel, tonight, tomorrow, going home."""
    return s.pick([
        f"I'm {s.pick(['going to', 'heading to', 'at', 'back at', 'off to', 'staying at'])} the {s.pick(['hotel', 'hotel bar', 'reception', 'gym', 'pool', 'lobby', 'airport', 'dinner', 'youth lounge', 'poster session'])}{s.pick(['', ' tonight', ' tomorrow', ' now', ' after this session', ' early'])}{s.pick(['.', '!', ', come join', ', see you there', ' lol'])}",
        f"I {s.pick(['left', 'forgot', 'lost', 'found'])} my {s.pick(['charger', 'badge', 'notebook', 'water bottle', 'glasses', 'jacket'])} {s.pick(['in the hotel room', 'at the venue', 'in room 204', 'on the shuttle', 'at breakfast'])}{s.pick(['.', ', oops.', '. Send help.', '!'])}",
        f"I {s.pick(['love', 'like', 'miss', 'recommend'])} the {s.pick(['hotel breakfast', 'hotel gym', 'taco place by the hotel', 'view from my room', 'coffee cart', 'quiet room'])}{s.pick(['.', '!', ' so much.', ' already.'])}",
        f"I'm {s.pick(['so tired', 'exhausted', 'done for today', 'going home', 'flying home', 'leaving', 'driving back', 'sleeping in', 'skipping breakfast'])} {s.pick(['tonight', 'tomorrow', 'after the closing session', 'early', 'on Sunday', 'in the morning'])}{s.pick(['.', ', see you next year.', ', what a week.', ' lol', '!'])}",
        f"I {s.pick(['won’t', 'can’t', 'don’t think I’ll'])} make it to the {s.pick(['8am session', 'breakfast', 'reception', 'closing plenary', 'poster session'])}{s.pick(['', ' tomorrow', ' tonight'])}{s.pick(['.', ', too tired.', ', my flight leaves at 2.', ', presenting at the same time.'])}",
        f"{s.pick(['Tonight', 'Tomorrow', 'After the session', 'This weekend'])} I'm {s.pick(['sleeping for twelve hours', 'having dinner with old friends', 'presenting at 9', 'going to the youth track', 'doing absolutely nothing', 'driving home'])}{s.pick(['.', '!', '. Wish me luck.', ' :)'])}",
        f"I feel {s.pick(['so lucky to be here', 'ready for tomorrow', 'welcome here', 'inspired', 'tired but happy', 'like I learned so much'])}{s.pick(['.', '!', ' today.', ' tonight.'])}",
    ])  # fmt: skip


def _benign(s: Slots) -> str:
    family = s.rng.randrange(18)
    if family in (16, 17):
        return _benign_first_person(s)
    if family in (0, 13, 14, 15) and s.rng.random() < 0.8:  # a mention, as most are: friendly
        return f"{s.pick(['Great talk', 'Hello', 'Thanks for the slides', 'Loved this', 'See you at lunch', 'Brilliant panel', 'Good morning', 'Congrats', 'Nice work'])}{s.pick([' ', ', ', '! '])}{s.handle()}{s.pick(['', '!', ' #TI2012', ' :)', ' and ' + s.handle()])}"
    if family in (0, 13, 14, 15):  # praise and chatter
        return f"{s.pick(['Great', 'Loved the', 'Fantastic', 'Really useful', 'Best'])} {s.pick(['keynote', 'panel', 'workshop', 'session', 'poster session', 'youth panel'])} {s.pick(['on', 'about'])} {s.pick(['family engagement', 'school-based care', 'crisis response', 'peer support', 'trauma-informed care', 'wraparound', 'telehealth', 'suicide prevention', 'youth voice', 'workforce'])}{s.pick(['!', '.', '. Notes later.', ' #TI2012', '. Slides in the app.'])}"
    if family == 1:  # statistics with ages
        return f"{s.pick(['About', 'Nearly', 'Roughly', 'More than'])} {s.pick(['1 in 5', '1 in 10', '1 in 3', '20%', '14%', 'half of'])} {s.pick(['kids', 'teens', 'youth', 'children'])} aged {s.age(3, 12)}-{s.age(13, 21)} {s.pick(['have a diagnosable condition', 'never get treatment', 'report being bullied', 'wait months for care', 'screen positive for depression', 'have had suicidal thoughts'])}{s.pick(['.', ', per the CDC.', '. Data matters.', ' in our state.'])}"
    if family == 2:  # idioms
        return s.pick(
            [
                "This schedule is killing me",
                "The keynote destroyed the room",
                "I'm dying to see the results",
                "That talk killed it",
                "My phone is dead again",
                "These shoes are murdering my feet",
                "I could die for a nap",
                "That data is insane",
                "The panel set the room on fire",
                "I'm dead, the youth skit",
                "Our database is a dumpster fire",
            ]
        ) + s.pick([".", "!", " lol", " #TI2012", ". Worth it."])
    if family == 3:  # training scripts
        return f'{s.pick(["We practised asking", "The trainer modelled asking", "Role play today:", "The screener asks", "Script from the workshop:"])} "{s.pick(["Are you thinking about killing yourself?", "Have you had thoughts of ending your life?", "Are you safe right now?", "Have you wished you were dead?", "Do you have a plan?"])}"{s.pick(["", " Hard but important.", " Then listen.", " Say it plainly."])}'
    if family == 4:  # general topic talk
        return f"{s.pick(['Kids with', 'Teens with', 'Families living with', 'Young people with'])} {s.pick(CONDITIONS)} {s.pick(['deserve services that fit them', 'are too often misunderstood at school', 'need care close to home', 'do better with family involvement'])}{s.pick(['.', '. Great panel.', ' #TI2012'])}"
    if family == 5 and s.rng.random() < 0.4:
        return f"{s.pick(['Do it for the', 'This is all about the', 'Keep the focus on the', 'We are here for the', 'Proud of our', 'Listen to the', 'Thinking of the'])} {s.pick(['kids', 'families', 'youth', 'parents', 'foster kids', 'teens', 'children'])}{s.pick(['.', '!', ' #TI2012', ''])}"
    if family == 5:
        return f"{s.pick(['Heading home', 'Goodbye TI2012', 'That is a wrap', 'Last session for me', 'Signing off'])}{s.pick(['!', '.'])} {s.pick(['Thank you all', 'See you next year', 'Safe travels everyone', 'What a week', 'Full heart, full notebook'])}{s.pick(['!', '.', ' :)'])}"
    if family in (6, 7):
        return _benign_crisis_twin(s)
    if family in (8, 11, 12):
        return _benign_person_twin(s)
    if family == 9:
        twin = _benign_health_twin if s.rng.random() < 0.5 else _benign_child_twin
        return twin(s)
    return _benign_contact_twin(s)


# --- restyling ----------------------------------------------------------------------------------

_TEXTSPEAK = [(r"\byou\b", "u"), (r"\byour\b", "ur"), (r"\bare\b", "r"), (r"\bI'm\b", "im"),
              (r"\bdon't\b", "dont"), (r"\bcan't\b", "cant"), (r"\btonight\b", "tonite"),
              (r"\bbecause\b", "bc"), (r"\bto be honest\b", "tbh"), (r"\bright now\b", "rn")]  # fmt: skip


def restyle(s: Slots, text: str) -> str:
    """Type it as people do: some of lower case, no final punctuation, text-speak, a typo, a
    hashtag or a mention."""
    if s.rng.random() < 0.35:
        text = text.lower()
    if s.rng.random() < 0.35:
        text = text.rstrip(".!?")
    if s.rng.random() < 0.25:
        for pattern, short in _TEXTSPEAK:
            text = re.sub(pattern, short, text, flags=re.IGNORECASE)
    if s.rng.random() < 0.2:
        text = text.replace("'", "").replace("\u2019", "")
    if s.rng.random() < 0.2:
        words = text.split(" ")
        i = s.rng.randrange(len(words))
        word = words[i]
        if len(word) > 3 and word.isalpha():
            j = s.rng.randrange(len(word) - 1)
            words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
            text = " ".join(words)
    if s.rng.random() < 0.2:
        text = f"{text} {s.pick(HASHTAGS)}"
    return text.replace("\u2019", "'")


MAKERS: dict[str, Callable[[Slots], str]] = {
    "crisis": _crisis,
    "harassment": _harassment,
    "health_detail": _health,
    "child_identity": _child,
    "contact_info": _contact,
    "-": _benign,
}
# Posts to make per label: at most the hand-written count of the kind (see generate()).
WANTED = {
    "crisis": 400,
    "harassment": 350,
    "health_detail": 250,
    "child_identity": 250,
    "contact_info": 250,
    "-": 1500,
}


def generate(hand_written: list[Labelled], seed: int = SEED) -> list[Labelled]:
    rng = random.Random(seed)
    slots = Slots(rng)
    known = {" ".join(p.text.lower().split()) for p in hand_written}
    made: list[Labelled] = []
    for label, maker in MAKERS.items():
        have = sum(1 for p in hand_written if (label in p.kinds if label != "-" else not p.kinds))
        wanted = min(WANTED[label], have)
        kinds = frozenset() if label == "-" else frozenset([label])
        count = attempts = 0
        while count < wanted and attempts < wanted * 20:
            attempts += 1
            text = restyle(slots, maker(slots))
            key = " ".join(text.lower().split())
            if key in known:
                continue
            known.add(key)
            made.append(Labelled(text, kinds, f"generated:{label}:{count}", "generated", True))
            count += 1
    return made
