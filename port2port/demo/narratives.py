"""Story templates for the demo's reports, written the way port security officers write.

Each story has a title and a narrative with {slots} the generator fills in (place, container,
vessel, origin, times, quantities). Measures, lessons and comments are drawn per category.
The events are typical of what Belgian ports report publicly; every detail is invented.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    title: str
    narrative: str


DRUG_STORIES: dict[str, tuple[Story, ...]] = {
    "rip_on_rip_off": (
        Story(
            "Rip-off attempt on reefer container at {place}",
            "At {time} the night patrol at {place} saw two people in high-visibility vests at reefer "
            "container {container}, discharged the day before from {vessel} (from {origin}, {cargo}). "
            "The bolt seal had been replaced by one of the same make with a different number ({seal}). "
            "The two fled over the fence when the patrol approached. Customs scanned the container: "
            "{kg} kg of cocaine in {bags} sports bags directly behind the doors, on top of the cargo.",
        ),
        Story(
            "Rip-on detected before loading at {port}",
            "A container of {cargo} from {origin} was flagged by the scanner image before transhipment. "
            "The seal number did not match the bill of lading. {bags} bags ({kg} kg) were found behind "
            "the doors. The container {container} had been stacked for {days} days near {place}, "
            "a corner with limited camera coverage.",
        ),
        Story(
            "Seal tampering on container {container}",
            "During a routine seal check at {place} the terminal found a bolt seal that turned freely "
            "and showed fresh tool marks. The container ({cargo}, ex {origin}) had arrived on {vessel}. "
            "Nothing was found inside, which suggests the load had already been taken out. The gate log "
            "shows a truck ({plate}) that entered at {time} without a booked pick-up.",
        ),
    ),
    "pin_fraud": (
        Story(
            "Container released with a stolen PIN code at {port}",
            "A driver presented a valid PIN code for container {container} at the terminal gate at "
            "{time}, two hours before the forwarder's own driver arrived. The PIN had been read from a "
            "compromised mailbox at a small forwarding agent. The truck ({plate}) was registered to a "
            "company that stopped trading last year. The container ({cargo} from {origin}) was later "
            "found empty on an industrial estate.",
        ),
        Story(
            "Release codes offered for sale on a messaging channel",
            "An informant showed screenshots of a channel offering release codes for containers "
            "arriving at {port} on {vessel}. Two of the listed container numbers match reefers from "
            "{origin}. The codes appear to come from a terminal user account that logged in from an "
            "unusual network at {time}.",
        ),
    ),
    "clone_container": (
        Story(
            "Cloned container number seen twice at {place}",
            "Gate cameras recorded container number {container} leaving the terminal at {time}, while "
            "the real {container} was still in the stack. The clone carried painted-over markings and a "
            "plate with a wrong check digit. It entered the port empty on truck {plate} the day before.",
        ),
    ),
    "extraction_team": (
        Story(
            "Extraction team found inside a container at {place}",
            "{count} men were found in an empty 40-foot container in the stack at {place} at {time}, "
            "with food, water, a phone, power banks and bolt cutters. They had probably waited up to "
            "{days} days for a target container from {origin}. The container had been moved into the "
            "stack by a straddle carrier outside the planned moves.",
        ),
        Story(
            "People hiding in the reefer stack at {port}",
            "Thermal cameras picked up {count} people between the reefer rows at {place} at {time}. "
            "They were arrested by the police. Investigators link them to a group that brings people "
            "into the terminal in 'hotel containers' to take out cocaine from arriving reefers.",
        ),
    ),
    "hull_or_diver": (
        Story(
            "Divers near the hull of {vessel} at {place}",
            "The patrol boat saw air bubbles and a small inflatable near {vessel} (arrived from {origin}) "
            "at {time}. Police divers inspected the sea chests the next morning and found {kg} kg of "
            "cocaine in waterproof packages attached to the grid.",
        ),
    ),
    "contamination_en_route": (
        Story(
            "Cocaine in the cooling unit of a reefer from {origin}",
            "Customs found {kg} kg of cocaine behind the panels of the refrigeration unit of container "
            "{container} ({cargo}). The container was transhipped in {transhipment}; the load was "
            "probably placed there. The exporter is known and not suspected.",
        ),
        Story(
            "Drugs hidden in the structure of a container from {origin}",
            "{kg} kg were found in the floor of container {container}, discharged from {vessel} at "
            "{place}. The welds were recent and painted over. Loading in {origin} looks regular; "
            "the contamination most likely happened during the stay in {transhipment}.",
        ),
    ),
    "drop_off_at_sea": (
        Story(
            "Floating packages recovered off {port}",
            "A fishing vessel reported {bags} packages floating about six nautical miles off {port} "
            "at {time}, tied together with a GPS beacon. The coast guard recovered {kg} kg of cocaine. "
            "AIS shows {vessel} slowing down in the area the night before.",
        ),
    ),
    "other": (
        Story(
            "Displacement: attempt moves from Antwerp to {port}",
            "Since the tighter controls in Antwerp, contacts report that groups are looking at {port}. "
            "This week a car ({plate}) of a person known from Antwerp cases was seen three times near "
            "{place}. We share this so other ports can watch for the same pattern.",
        ),
        Story(
            "Cocaine hidden in a consignment of {cargo}",
            "{kg} kg of cocaine were found in boxes in the middle of a consignment of {cargo} from "
            "{origin} (container {container}). The consignee is a company founded three months ago "
            "with no trading history.",
        ),
    ),
}

CATEGORY_STORIES: dict[str, tuple[Story, ...]] = {
    "intrusion": (
        Story(
            "Fence cut near {place}",
            "The night patrol found a hole of about one metre in the perimeter fence near {place} at "
            "{time}. Footprints led towards the container stack. Camera footage shows two people "
            "entering at 01:50 and leaving forty minutes later without cargo.",
        ),
        Story(
            "Tailgating at the terminal gate at {port}",
            "A car followed a badge holder's vehicle through the barrier at {place} at {time}. The "
            "driver said he was delivering parts but had no booking. Plate {plate}. Security escorted "
            "the car out and the badge holder was briefed.",
        ),
        Story(
            "Unauthorised person on the quay at {place}",
            "A person without a badge or PPE was found walking along the quay at {time}, taking photos "
            "of the reefer rows. He gave a name and left before the police arrived.",
        ),
        Story(
            "Access badge used at two gates at once",
            "Badge {badge} opened gate 3 and gate 7 of {port} within four minutes at {time}, too far "
            "apart for one person. The badge may have been cloned.",
        ),
    ),
    "drone": (
        Story(
            "Drone over the quay at {place} at night",
            "The RF detector picked up a small quadcopter over {place} at {time}, flying at about "
            "{altitude} m for {minutes} minutes over the container stack and the reefer park. The pilot "
            "was not found. The flight pattern suggests mapping of camera positions and patrol routes.",
        ),
        Story(
            "Drone near the {place}",
            "A drone hovered near {place} at {time} for {minutes} minutes. The area is a no-fly zone. "
            "Police located the pilot in a car ({plate}) on the public road; he said he was filming "
            "ships for social media.",
        ),
        Story(
            "Repeated drone flights over {port}",
            "Third drone detection this month over {place}, each time between 22:00 and 03:00. The "
            "drone comes from the north-east and flies straight to the same stack block, which "
            "suggests it watches the moves of specific containers.",
        ),
    ),
    "cyber": (
        Story(
            "Phishing campaign against port community system users",
            "Several users at {port} received e-mails asking them to log in again at {domain}, a copy "
            "of the port community system's login page. At least one forwarder entered credentials. "
            "The page asked for the one-time code too.",
        ),
        Story(
            "Credential stuffing on the truck appointment portal",
            "Over {hours} hours the appointment portal of {port} saw about 40,000 failed logins from "
            "rotating addresses. Twelve accounts were logged into successfully and used to look up "
            "container status and release information.",
        ),
        Story(
            "Ransomware at a freight forwarder connected to {port}",
            "A forwarder with access to terminal systems reported ransomware on its office network. "
            "Its API keys to the terminal were revoked as a precaution. No sign yet that terminal data "
            "was taken.",
        ),
        Story(
            "GPS interference near the {place}",
            "Pilots and two vessels reported jumping GPS positions near {place} at {time} for about "
            "{minutes} minutes. AIS tracks of ships in the area show the same jumps.",
        ),
    ),
    "insider": (
        Story(
            "Terminal employee approached by criminals",
            "A straddle-carrier driver at {port} told his supervisor he had been approached in a café "
            "and offered money to move one container to a blind spot at {place}. He has been offered "
            "support, and the police were informed.",
        ),
        Story(
            "Badge misuse by an employee at {place}",
            "An employee's badge ({badge}) was used on a day he was on leave, at {time}, to enter "
            "{place}. He admits lending it to a colleague 'to help out'. Both badges are blocked.",
        ),
        Story(
            "Employee queried container data without need",
            "The terminal's audit shows an administrative employee looked up the status of "
            "{count} reefer containers from {origin} in one evening, none linked to her work.",
        ),
    ),
    "suspicious": (
        Story(
            "Vessel loitering off {port}",
            "{vessel} stayed at low speed outside the anchorage for {hours} hours without a clear "
            "reason and switched off AIS twice. A small boat was seen alongside at {time}.",
        ),
        Story(
            "Van photographing the terminal gate at {place}",
            "A van ({plate}) was parked near the gate at {place} for two hours; the passenger took "
            "photos of the gate and the cameras. The same plate was seen last month at another port.",
        ),
        Story(
            "Rental car circling the reefer park at {place}",
            "A rental car ({plate}) drove past the reefer park at {place} six times between {time} and "
            "the morning, slowing down near the entrance of the stack.",
        ),
        Story(
            "Inland vessel with unusual stops on the canal",
            "An inland vessel stopped twice at night at {place} where no loading is planned. Crew "
            "were seen handing over bags to a car ({plate}).",
        ),
    ),
    "theft": (
        Story(
            "Copper cable stolen at {place}",
            "About 300 metres of copper cable were cut from a disused crane at {place} during the "
            "night. Power to two cameras was lost for {hours} hours.",
        ),
        Story(
            "Fuel theft from trucks waiting at {port}",
            "Drivers waiting overnight at the truck parking near {place} found their tanks drained. "
            "{count} trucks were hit, at around {time}.",
        ),
        Story(
            "Damage to the access gate at {place}",
            "The barrier of the access gate at {place} was rammed at {time}. The car ({plate}) drove "
            "off; nobody entered the terminal.",
        ),
    ),
    "other": (
        Story(
            "Bomb threat hoax by e-mail at {port}",
            "A bomb threat against {place} arrived by e-mail at {time}. The area was checked with the "
            "police; nothing was found. Similar messages reached other ports the same day.",
        ),
        Story(
            "Lost master key for the {place} gates",
            "A master key of the gates at {place} has been missing since the shift change. Locks are "
            "being replaced.",
        ),
        Story(
            "Protest at the terminal gate at {place}",
            "About {count} people blocked the entrance at {place} for {hours} hours. Peaceful; the "
            "police were present. Truck traffic was redirected.",
        ),
    ),
}

MEASURES: dict[str, tuple[str, ...]] = {
    "drug_smuggling": (
        "Container held and scanned; seals checked on the other reefers of the same vessel.",
        "Extra night patrols in the reefer park for two weeks.",
        "The shipping line and the terminal informed; the container route is being traced.",
        "Police informed; the images of the gate cameras are kept.",
    ),
    "intrusion": (
        "Fence repaired the same night; extra camera placed on the section.",
        "Badge blocked and reissued; gate logs handed to the police.",
        "Patrol route changed to pass the spot every hour.",
    ),
    "drone": (
        "Detection log and RF signature shared with the police.",
        "Patrol informed to watch for the pilot's car in the area.",
        "Operators of nearby terminals asked to check their own camera images.",
    ),
    "cyber": (
        "Affected accounts locked and passwords reset; MFA enforced for all users.",
        "The phishing domain reported for takedown.",
        "API keys of the affected partner revoked; new keys issued after clean-up.",
    ),
    "insider": (
        "Badge blocked; the employee's access reviewed with HR.",
        "Police informed; a confidential contact point offered to staff.",
    ),
    "suspicious": (
        "Plate and description shared with the police.",
        "Camera images kept; patrols asked to report the vehicle if seen again.",
    ),
    "theft": (
        "Damage repaired; complaint filed with the police.",
        "Lighting improved on the parking.",
    ),
    "other": (
        "Area checked with the police; staff informed.",
        "Locks replaced.",
    ),
}

LESSONS: dict[str, tuple[str, ...]] = {
    "drug_smuggling": (
        "Seal checks on arrival would have found the replaced seal a day earlier.",
        "Containers from high-risk origins should not stand near the fence.",
        "Release codes must not travel by plain e-mail.",
    ),
    "intrusion": (
        "The fence section had no camera coverage; blind spots need a regular review.",
        "Staff should not let anyone follow them through a barrier.",
    ),
    "drone": (
        "Detection without a response procedure gives only statistics; agree who moves when it beeps.",
        "Night flights follow the patrol schedule; vary it.",
    ),
    "cyber": (
        "MFA stopped most logins; the accounts without it were the ones taken.",
        "Partners with access to terminal systems need the same rules as our own staff.",
    ),
    "insider": (
        "The employee spoke up because he knew whom to call; keep the contact point visible.",
    ),
    "suspicious": (
        "Sharing the plate across ports showed the same car had visited three of them.",
    ),
    "theft": ("Unused installations need the same patrols as active ones.",),
    "other": ("Keep the list of key holders current.",),
}

COMMENTS: dict[str, tuple[str, ...]] = {
    "drug_smuggling": (
        "Same modus seen at our port last month; the replaced seals were of the same make.",
        "Customs scanner images available on request.",
        "The vessel called at our port two weeks ago as well. We will check the containers it left.",
        "Thanks. We have briefed our night shift on this pattern.",
        "Is the truck plate known? We may have it in our gate logs.",
    ),
    "drone": (
        "We saw a drone with the same RF signature over our quay last week.",
        "Our detector logged nothing that night; we will check the calibration.",
        "Has anyone found the pilot's launch point? We suspect the dike road.",
    ),
    "cyber": (
        "We received the same phishing e-mail this morning; blocked at the gateway.",
        "Please share the sender addresses so we can block them too.",
    ),
    "general": (
        "Thanks for sharing, very useful.",
        "We have passed this on to our patrol teams.",
        "Can you tell us how you detected it? We want to check our own set-up.",
        "Similar event at our site; we will file a report.",
    ),
}

ORIGINS = (
    "Guayaquil, Ecuador", "Puerto Bolívar, Ecuador", "Cartagena, Colombia", "Turbo, Colombia",
    "Santos, Brazil", "Callao, Peru", "Paramaribo, Suriname", "Moín, Costa Rica",
    "Kingston, Jamaica", "Buenaventura, Colombia",
)
TRANSHIPMENTS = ("Algeciras", "Tanger Med", "Kingston", "Freeport", "Valencia", "Rotterdam")
CARGOES = ("bananas", "pineapples", "avocados", "frozen shrimp", "cut flowers", "mangoes", "coffee", "cocoa beans")
VESSELS = (
    "Atlantic Condor", "Nordic Harmony", "Santa Isadora", "Cap Meridian", "Rio Esperanza",
    "Baltic Fortune", "Ocean Tern", "Avalon Star", "Sea Lyra", "Andes Trader",
    "Pacific Heron", "Westerdiep", "Stella Marina", "Emerald Bay",
)
# Made-up owner codes (the fourth letter U marks a freight container in ISO 6346).
CONTAINER_OWNERS = ("DMOU", "PTPU", "RFRU", "TXLU", "SBCU", "ORKU")
PHISHING_DOMAINS = ("pcs-login-verify.example", "portcommunity-secure.example", "apcs-renew.example")
