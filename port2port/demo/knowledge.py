"""The demo's knowledge base: about twenty articles the Belgian ports, police and authorities
wrote on inspections, access control, drones, cameras, cyber, insider risk and training, some
in Dutch and French, with revisions, comments, a proposed edit and feedback. All through
`port2port.knowledge.actions`, as people would write them."""

from dataclasses import dataclass, field

from port2port.core.permissions import Role
from port2port.core.sharing import Audience, Tlp
from port2port.knowledge import actions
from port2port.reports.models import Category, Report

DRUGS, DRONES = "Drugs working group", "Drones working group"


@dataclass(frozen=True)
class Spec:
    org: str
    title: str
    theme: str
    summary: str
    body: str
    tags: str
    language: str = "en"
    tlp: str = Tlp.GREEN
    audience: str = Audience.NETWORK
    group: str | None = None
    lessons: str | None = None  # a report category whose lessons the article draws on
    revision: tuple[str, str] | None = None  # (added paragraph, note)
    comments: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (organisation slug, text)


ARTICLES = (
    Spec("port-of-antwerp-bruges", "Identity-based container release replacing PIN codes", "access_control",
         "How the port replaced PIN codes for container release by a release tied to the trucker's identity, and what it changed for rip-off attempts.",
         "## Why PIN codes had to go\n\nA PIN code for releasing a container travels by e-mail, by spreadsheet and by phone "
         "through forwarders, hauliers and sometimes criminals. Whoever holds the code can collect the box: **the code, not "
         "the person, is trusted**.\n\n## What replaced them\n\n1. The release right is linked to a verified identity "
         "(driver card and biometric check at the gate).\n2. Forwarders nominate the haulier in the port community system; "
         "the haulier nominates the driver.\n3. The terminal checks identity and nomination at pick-up; no code changes hands.\n\n"
         "## Results after twelve months\n\n| Indicator | Before | After |\n|---|---|---|\n| Release codes leaked (known) | 41 | 0 |\n"
         "| Pick-ups refused at the gate | 3 | 57 |\n| Average extra time per pick-up | – | 40 s |\n\n"
         "## Lessons\n\n- Start with the largest terminals; smaller ones follow once hauliers have the card.\n"
         "- Keep a fallback procedure for the first months, but log every use of it.\n",
         "pin-codes, container-release, rip-off", lessons=Category.DRUG_SMUGGLING,
         revision=("- Hauliers from outside Belgium need a registration route; plan it before go-live.", "Foreign hauliers"),
         comments=(("north-sea-port", "We start the same change at Ghent in spring. Did you keep the nomination step in the PCS or at the terminal?"),
                   ("customs-and-excise", "Refused pick-ups are worth sharing with us the same day: several matched our targeting."))),
    Spec("north-sea-port", "Reefer inspection checklist", "inspections",
         "A one-page checklist for inspecting reefer containers for rip-on/rip-off loads.",
         "## Before opening\n\n1. Compare the seal number with the manifest and the booking.\n2. Photograph seal and doors.\n"
         "3. Check the door hinges and rivets for fresh tool marks.\n\n## The machinery end\n\n- Evaporator cover screws: "
         "mismatched or new screws are a warning sign.\n- Drain holes and the space behind the fan.\n- Temperature log: a door "
         "opening shows as a short temperature spike.\n\n## After the inspection\n\nRecord the new seal number in the port "
         "community system before the container moves.\n",
         "reefer, checklist, rip-on-rip-off", lessons=Category.DRUG_SMUGGLING,
         revision=("Weigh the container too when the declared and the verified gross mass differ by more than 5 %.", "Weight check"),
         comments=(("port-of-antwerp-bruges", "The temperature log tip found two cases for us last year."),)),
    Spec("north-sea-port", "Drone detection at critical quays: lessons from a RF sensor pilot", "drones",
         "Six months of radio-frequency drone detection at two quays: what it found, what it missed, and the alarm workflow that worked.",
         "## Set-up\n\nTwo RF sensors covered the LNG quay and the container quay. Detections went to the harbour master's "
         "control room.\n\n## What we saw\n\n- 212 detections, of which 37 inside the restricted zone.\n- Most flights were hobby "
         "drones on weekend afternoons.\n- Three flights at night followed the same pattern along the container stack.\n\n"
         "## What RF does not see\n\nDrones flying pre-programmed routes without a radio link. Combine RF with radar or "
         "cameras where that risk matters.\n\n## The workflow that worked\n\n1. Control room confirms on camera.\n2. Police are "
         "called with the pilot's position when the sensor gives it.\n3. The terminal stops crane work under the drone if needed.\n",
         "rf, drones, pilot", tlp=Tlp.AMBER, audience=Audience.GROUP, group=DRONES, lessons=Category.DRONE,
         revision=("Night flights were reported to the police within four minutes on average.", "Response time added"),
         comments=(("port-of-liege", "Did you get false detections from the Wi-Fi of ships alongside?"),
                   ("north-sea-port", "Yes, in the first weeks. A whitelist of ship networks solved most of it."))),
    Spec("port-of-antwerp-bruges", "AI camera perimeter analytics: false-alarm tuning", "ai_cameras",
         "How we brought false alarms of perimeter video analytics down from forty a night to three without missing intrusions.",
         "## The problem\n\nThe analytics flagged birds, rain, headlights and shadows: operators stopped looking.\n\n## What "
         "helped\n\n1. **Zones per camera**, drawn tight to the fence, not the whole image.\n2. A minimum object size and "
         "dwell time per zone.\n3. Thermal cameras on the stretches along the water.\n4. A weekly review of every alarm with "
         "the supplier for the first two months.\n\n## Measure it\n\nCount alarms per night and the share that operators "
         "marked as real. Retest with a walk test after every change.\n",
         "video-analytics, perimeter, false-alarms",
         comments=(("port-of-ostend", "Which dwell time did you settle on along the fence?"),)),
    Spec("csd-limburg", "Insider risk: signs of corrupted employees", "insider_risk",
         "Signs that a port or logistics employee is being approached or used by criminal networks, and what colleagues and managers can do.",
         "## Signs\n\n- Asks about shifts, container positions or scanner planning beyond their job.\n- Looks up containers "
         "they have no reason to follow.\n- Sudden spending that does not match the salary.\n- Changes shifts to be present "
         "when specific vessels are worked.\n\n## What to do\n\n1. Do not confront the person.\n2. Report through the "
         "confidential channel of your organisation.\n3. Keep access logs: they are often the strongest evidence.\n\n"
         "Recruitment often starts small: a favour, a photo of a screen. Training staff to recognise the first approach "
         "protects them.\n",
         "insider, corruption, awareness", tlp=Tlp.AMBER, audience=Audience.NETWORK, lessons=Category.INSIDER),
    Spec("port-of-brussels", "MFA on port community systems", "cyber",
         "Why multi-factor authentication on the port community system matters, and how to roll it out to hundreds of small companies.",
         "## Why\n\nStolen PCS accounts are used to learn container positions and to change release data.\n\n## How\n\n"
         "- Prefer phishing-resistant factors (security keys, passkeys).\n- Give small forwarders a simple app-based option.\n"
         "- Turn off shared accounts: one person, one account.\n- Alert the company when a login comes from a new country.\n",
         "mfa, pcs, accounts", tlp=Tlp.CLEAR, lessons=Category.CYBER,
         revision=("Plan a help desk for the first two weeks; most calls are about lost phones.", "Help desk")),
    Spec("port-of-ostend", "Searching ro-ro trailers: a practical sequence", "inspections",
         "The order in which our searchers go through an unaccompanied ro-ro trailer, and the tools that help.",
         "1. Documents and seal first.\n2. Underside with a mirror and a camera on a pole.\n3. Roof from the walkway.\n"
         "4. Load: open the rear, check the depth with a laser meter against the trailer's length.\n5. Refrigeration unit and "
         "fuel tank.\n\nA difference of more than 30 cm between the inside and outside length calls for a full unload.\n",
         "ro-ro, trailers, search"),
    Spec("de-vlaamse-waterweg", "Toegangscontrole aan sluizen: wat werkt", "access_control",
         "Ervaringen met toegangscontrole aan sluiscomplexen: badges, camera's en afspraken met de scheepvaart.",
         "## Uitgangspunt\n\nSluizen zijn kritieke infrastructuur met veel bezoekers: schippers, aannemers, "
         "onderhoudsploegen.\n\n## Wat werkt\n\n- Eén badgesysteem voor alle sluizen van het netwerk.\n- Bezoekers "
         "vooraf aanmelden; geen badge zonder afspraak.\n- Camera's op de toegangen naar de bedieningsgebouwen.\n\n"
         "## Wat niet werkt\n\nCodes op deuren die jarenlang niet wijzigen.\n",
         "sluizen, toegang, badges", language="nl"),
    Spec("north-sea-port", "Drones boven kaaien: het alarmprotocol", "drones",
         "Het protocol van de havenkapitein voor drones boven kaaien en terminals, stap voor stap.",
         "1. Detectie bevestigen met camera.\n2. Politie verwittigen met positie van drone en piloot.\n3. Terminal "
         "informeren; kraanwerk onder de drone stilleggen indien nodig.\n4. Melding registreren in het platform.\n\n"
         "Oefen het protocol twee keer per jaar met de terminals.\n",
         "drones, protocol", language="nl", group=DRONES, audience=Audience.GROUP),
    Spec("port-of-liege", "Contrôle des barges : points d'attention", "inspections",
         "Les points d'attention lors du contrôle des barges dans un port intérieur.",
         "## Avant le contrôle\n\n- Vérifier le manifeste et le dernier port d'escale.\n- Comparer le tirant d'eau avec "
         "la cargaison déclarée.\n\n## Pendant le contrôle\n\n- Cales et doubles fonds.\n- Logement de l'équipage.\n"
         "- Salle des machines.\n",
         "barges, controle", language="fr"),
    Spec("port-of-liege", "Caméras intelligentes : retour d'expérience", "ai_cameras",
         "Un an de caméras avec analyse d'images sur les quais du port de Liège.",
         "Les caméras détectent les personnes dans les zones interdites la nuit. Les fausses alarmes viennent surtout des "
         "reflets sur l'eau : un masque sur la zone de l'eau a réglé le problème.\n",
         "cameras, quais", language="fr", group=DRONES, audience=Audience.GROUP),
    Spec("national-maritime-security-authority", "ISPS drills: making them count", "training",
         "How to plan ISPS drills that test people and procedures, not just the alarm bell.",
         "- Pick one scenario per drill and write down what success looks like.\n- Involve the police and the terminal, "
         "not only the port facility security officer.\n- Debrief within a week and record the actions.\n",
         "isps, drills, exercises", tlp=Tlp.CLEAR,
         comments=(("port-of-ostend", "A no-notice drill at shift change taught us most."),)),
    Spec("port-of-antwerp-bruges", "Security checks of visiting contractors", "security_checks",
         "How contractors working on terminals are checked before they get a badge.",
         "1. The contractor registers each worker with identity document.\n2. A background screening where the law allows it.\n"
         "3. Badges valid only for the work order's dates and areas.\n4. Random checks at the gate.\n",
         "contractors, badges, screening",
         revision=("5. Badges of workers who leave the contractor are blocked within a day.", "Leavers")),
    Spec("customs-and-excise", "Scanner images: what an analyst looks for", "inspections",
         "The patterns in container scanner images that most often lead to a physical inspection.",
         "- Density differences inside uniform cargo.\n- Objects at the doors or behind the reefer unit.\n- Cargo that does not "
         "match the declared goods.\n\nShare images only inside the Drugs working group.\n",
         "scanner, x-ray", tlp=Tlp.AMBER, audience=Audience.GROUP, group=DRUGS),
    Spec("port-of-ostend", "Phishing aimed at shipping agents", "cyber",
         "A wave of phishing mails impersonating a shipping line, aimed at agents in Ostend and Zeebrugge.",
         "The mails asked agents to 'confirm' release data on a look-alike portal. Check the sender's domain; report the "
         "mail to your IT and to the network.\n",
         "phishing, agents", lessons=Category.CYBER),
    Spec("csd-limburg", "Awareness session for terminal staff: a template", "training",
         "A forty-minute awareness session for terminal staff on drug trafficking and recruitment.",
         "1. What criminals want from port workers (10 min).\n2. Real cases, anonymised (15 min).\n3. How to report (10 min).\n"
         "4. Questions (5 min).\n",
         "awareness, training, terminal-staff"),
    Spec("port-of-brussels", "Fence inspections along the canal", "security_checks",
         "A monthly fence walk along the canal: what to check and how to log it.",
         "Walk the fence line once a month; photograph damage and holes; log them with their position so repairs can be "
         "followed.\n",
         "fences, perimeter"),
    Spec("north-sea-port", "Shared lessons from a counter-drone exercise", "drones",
         "A joint exercise of port, police and the military on taking down a drone over a terminal.",
         "The exercise showed that the time to decide is the bottleneck, not the technology. Agree in advance who decides.\n",
         "drones, exercise, counter-drone", tlp=Tlp.AMBER, audience=Audience.GROUP, group=DRONES),
    Spec("national-drug-commissioner", "Other: how to write a good lessons-learned article", "other",
         "A short guide to writing articles colleagues can use.",
         "- Say what happened and what you changed.\n- Give numbers where you have them.\n- Say what did not work.\n",
         "writing, guide", tlp=Tlp.CLEAR),
)


def populate(network, now) -> None:
    """Write the articles, then revise, comment, propose and give feedback on some of them."""
    articles = [_write(network, spec) for spec in ARTICLES]
    for spec, article in zip(ARTICLES, articles):
        if spec.revision:
            paragraph, note = spec.revision
            actions.revise_article(article, acting_user=article.author, body=article.body + "\n\n" + paragraph + "\n",
                                   note=note)
        for slug, text in spec.comments:
            actions.add_comment(article, acting_user=_analyst(network, slug), body=text)
    _proposals(network, articles)
    _feedback(network, articles)


def _write(network, spec: Spec):
    author = _analyst(network, spec.org)
    marking = {"tlp": spec.tlp, "audience": spec.audience}
    if spec.group:
        marking["sharing_group"] = network.groups[spec.group][0]
    lessons = []
    if spec.lessons:
        lessons = list(Report.objects.visible_to(author).filter(category=spec.lessons).order_by("-occurred_at")[:2])
    return actions.write_article(
        acting_user=author, organisation=network.organisations[spec.org], marking=marking, share_now=True,
        title=spec.title, summary=spec.summary, body=spec.body, theme=spec.theme, language=spec.language,
        tags=spec.tags, lessons_from=lessons,
    )


def _analyst(network, slug):
    return (network.with_role(slug, Role.ANALYST) or network.with_role(slug, Role.SECURITY_OFFICER))[0]


def _proposals(network, articles) -> None:
    checklist = next(a for a in articles if a.title == "Reefer inspection checklist")
    accepted = actions.propose_edit(
        checklist, acting_user=_analyst(network, "customs-and-excise"), title=checklist.title, summary=checklist.summary,
        body=checklist.body + "\n\n## Share what you find\n\nReport a find the same day, so other ports can check "
        "containers from the same shipper.\n", note="Adds a step to share finds with the network",
    )
    actions.accept_proposal(accepted, acting_user=network.with_role("north-sea-port", Role.SECURITY_OFFICER)[0])
    contractors = next(a for a in articles if a.title == "Security checks of visiting contractors")
    actions.propose_edit(
        contractors, acting_user=_analyst(network, "port-of-ostend"), title=contractors.title,
        summary=contractors.summary, body=contractors.body.replace("A background screening", "A criminal-record check"),
        note="A more precise word for the screening we do in Ostend",
    )
    mfa = next(a for a in articles if a.title == "MFA on port community systems")
    declined = actions.propose_edit(
        mfa, acting_user=_analyst(network, "de-vlaamse-waterweg"), title=mfa.title, summary=mfa.summary,
        body=mfa.body + "\n- SMS codes are good enough for everyone.\n", note="SMS is simpler",
    )
    actions.decline_proposal(declined, acting_user=network.with_role("port-of-brussels", Role.SECURITY_OFFICER)[0],
                             reason="SMS codes can be intercepted or redirected; we keep phishing-resistant factors first.")


def _feedback(network, articles) -> None:
    readers = ("port-of-antwerp-bruges", "north-sea-port", "port-of-ostend", "port-of-liege", "port-of-brussels",
               "csd-limburg", "customs-and-excise")
    for number, article in enumerate(articles):
        for offset, slug in enumerate(readers):
            if slug == article.owner_org.slug or (number + offset) % 3:
                continue
            person = _analyst(network, slug)
            if not type(article).objects.visible_to(person).filter(pk=article.pk).exists():
                continue
            actions.give_feedback(article, acting_user=person, kind="helpful")
            if (number + offset) % 2 == 0:
                actions.give_feedback(article, acting_user=person, kind="adopted")
