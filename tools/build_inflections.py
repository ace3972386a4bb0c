"""Build narrator/data/inflections.json: {singular word: plural word}, sorted keys.

    python tools/build_inflections.py           # rewrite the table
    python tools/build_inflections.py --check   # exit 1 if the shipped table is stale

Each plural is inflect's plural_noun with narrator.grammar's corrections (inflect_plural);
words in grammar.IRREGULAR are left out, since grammar answers them before the table, and so
are plural forms ("teeth").  The vocabulary is the words below (the words of the US SOC
occupation titles, plus common job-title and workplace nouns) and inflect's own lists of
irregular and uninflected nouns.  Deterministic: same inflect version, same file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from narrator import grammar  # noqa: E402

VOCABULARY = """
abstractor abuse account accountant activity actor actuary address adjudicator adjuster
administrator adult advisor aide aid air aircraft airfield airline alarm ambulance analysis
analyst anesthesiologist anesthetist animal animator announcer anthropologist anthropology
apparel appliance application applicator appraiser arbitrator archeologist archeology
architect architecture archivist area art artist assembler assessor assistant association
astronomer athlete attendant audio audiologist auditor author authorizer auto avionics
baggage bailiff baker barber bartender batchmaker bellhop bench benefit bicycle bill
biochemist biologist biophysicist blaster blockmason body boiler boilermaker bolter book
booth brake brazer breeder brickmason bridge broker brokerage bus budget builder building
business butcher buyer cabinetmaker cafeteria cage camera captain car career caretaker cargo
carpenter carpet carrier cartographer cashier caster ceiling center chauffeur checker chef
chemist chemistry chief child childcare chiropractor choreographer claim cleaner clergy clerk
client coach coating coatroom coffee coil coin collection collector commodity communication
community competitor compliance composer compressor computer concession concierge
conciliator concrete conductor conservation conservator construction contractor control
controller convention conveyor cook coordinator copilot copy coremaker correspondence
correspondent cosmetologist cost costume counselor counter courier court craft crane credit
crop cutter damage dancer database data dealer delivery demonstrator dentist derrick
designer desk desktop detective developer development device die diesel dietitian disorder
dispatcher displayer distribution distributor diver door drafter dragline drama dredge
dressmaker drier drill driller driver drywall earth economics economist editor education
educator electrician elevator eligibility embalmer emergency enforcement engine engineer
engineering engraver entertainer entertainment entry equipment erector escort estate
estimator etcher event examiner exhibit expert explosive extraction fabric fabricator faller
family farm farmer farmworker fashion feeder fence fiber fiberglass file filer filler film
finisher fire firefighter firer fish fisher fitness fitter flight floor food forest forester
forestry foundry freight fundraiser funeral furnace furnishing furniture gas game garment
gauger geographer geography geoscientist glass glazier good government grader graduate
greenhouse grinder ground guard guidance guide gynecologist hairdresser hairstylist hand
handler hardware head health healthcare heat helper highway historian history hoist home
host hostess hostler hotel household human hunter hydrologist hygienist illustrator imaging
information inspector installation installer institution instructor instrument insulation
insurance interior internist interpreter interviewer investigator iron jailer janitor
jeweler job judge justice kettle keyer kiln kindergarten labor laboratory laborer laminator
landscape language lathe laundry law lawn lawyer layer layout leather legislator librarian
library license life lifeguard line literacy literature loader loan lobby lock locker
locksmith locomotive lodging log logistician lot lounge machine machinery machinist
magistrate maid mail maintenance maker makeup management manager manicurist marble marker
market marketing marriage mason massage mate material mathematician measurer meat mechanic
media mediator medicine meeting mender merchandise messenger metal meter microbiologist
midwife mine miner model mold molder mortician motel motion motor motorboat motorcycle mover
multimedia museum music musician network news nurse nursery nutritionist obstetrician
occupation office officer official oil oiler operation operator optician optometrist order
orderly orthodontist orthotist oven packager packer painter painting paper paperhanger
paralegal paramedic part pathologist patrol patternmaker paver payroll pediatrician
pedicurist performance performer person pest pesticide pharmacist pharmacy philosophy
phlebotomist photogrammetrist photographer physician physicist physiologist picture pile
pilot pipe pipefitter pipelayer planner plant plasterer plastic plumber podiatrist police
policy porter postmaster poultry pourer power powerhouse practitioner preparation preparer
press presser prevention print probation process processor procurement producer product
production program programmer projectionist promoter promotion proofreader property
prosthetist prosthodontist protection pruner psychiatrist psychologist psychology publisher
pump pumper quarry radiation radio rail railroad ranch rancher reactor reader estate rebar
recreation record referee refinery refrigeration refuse rehabilitation relation relay
religion removal rental repair repairer reporter representative research researcher
reservation resonance resort resource restaurant revenue rigger rock roof roofer room
roustabout runner safety sailor sale salesperson sampler sander scaler school science
scientist scout screener sculptor searcher secretary security sewer server service servicer
setter shampooer shaper sharpener sheet ship shoe shop shuttle signal singer skincare
slaughterer slot sociologist sociology software soil solderer sonographer sorter sound space
specialist specialty speech splitter sport sprayer station statistician steamfitter steel
stock stone stonemason storage street streetcar structure stucco study substance substation
subway superintendent supervisor support surface surgeon surveillance survey surveyor switch
switchboard system tailor taker tank taper tax taxi teacher team technician technologist
telecommunication telemarketer telephone television teller tender terrazzo tester textile
therapist therapy ticket tile tobacco tool tour tower track tractor trade traffic trailer
trainer training transcriptionist transit translator transportation trapper travel
treatment tree trimmer truck tuner turbine umpire undertaker underwriter unit upholsterer
user usher utility valve vegetation vehicle vendor vessel veterinarian video waiter waitress
wall warden watch water watercraft weigher welder wellhead wholesale wildlife winch wind
winder window wood woodworker word work worker writer yard yardmaster zoologist

admin architect annotator labeler tagger moderator blogger vlogger influencer streamer
podcaster creator marketer strategist copywriter copyeditor localizer transcriber captioner
stenographer typist recruiter sourcer headhunter mentor tutor lecturer professor dean
provost chancellor rector registrar bursar headmaster headmistress paraprofessional
paraeducator substitute proctor invigilator webmaster hacker modeler coder tester scrum
owner lead principal staff consultant helpdesk doula doctor periodontist endodontist
pharmacologist toxicologist radiologist oncologist cardiologist neurologist dermatologist
psychotherapist ophthalmologist osteopath naturopath homeopath acupuncturist herbalist
dietician medic caregiver carer sitter companion nanny babysitter housekeeper radiographer
scribe biller hospitalist intensivist geriatrician urologist nephrologist
gastroenterologist endocrinologist rheumatologist hematologist pulmonologist immunologist
allergist epidemiologist virologist geneticist embryologist perfusionist vet groomer
joiner bricklayer decorator drywaller tiler ironworker lineman linewoman lineworker
scaffolder excavator foreman forewoman laborer labourer handyman handywoman cobbler milliner
hatter jeweller goldsmith silversmith blacksmith farrier gunsmith clockmaker watchmaker
shipwright wheelwright cooper tanner weaver spinner knitter dyer printer binder bookbinder
potter ceramicist glassblower woodcarver carver patissier barista mixologist sommelier
busser busboy maitre bellman doorman valet steward stewardess purser caterer dishwasher
expeditor trucker teamster aviator navigator skipper deckhand boatswain bosun seaman
seafarer mariner longshoreman stevedore docker brakeman switchman signalman flagger flagman
ranger policeman policewoman cop constable sergeant lieutenant commander commissioner
marshal sheriff deputy jailer fireman firewoman trooper agent soldier airman airwoman marine
cadet ensign admiral general colonel major corporal private chaplain recruit veteran
bookkeeper comptroller treasurer banker trader president vice chairman chairwoman
chairperson chair executive founder cofounder proprietor partner associate entrepreneur
investor shareholder receptionist seller purchaser merchandiser publicist spokesperson
spokesman spokeswoman liaison ombudsman ombudsperson negotiator attorney solicitor barrister
counsel notary actress vocalist arranger songwriter lyricist filmmaker cinematographer
videographer stylist presenter anchor newscaster broadcaster journalist columnist critic
commentator novelist poet playwright screenwriter scriptwriter ghostwriter comedian magician
clown juggler acrobat stuntman stuntwoman double grower gardener landscaper groundskeeper
arborist logger lumberjack fisherman fisherwoman beekeeper apiarist shepherd herder cowboy
cowgirl wrangler farmhand dairyman horticulturist agronomist florist vintner winemaker
brewer distiller botanist ecologist geologist geophysicist geochemist meteorologist
climatologist oceanographer astrophysicist archaeologist linguist philosopher
neuroscientist priest pastor minister rabbi imam monk nun deacon bishop missionary
evangelist volunteer intern apprentice trainee fellow resident scholar student alumnus alumna
gravedigger sexton custodian exterminator postman postwoman mailman craftsman craftswoman
craftsperson tradesman tradeswoman tradesperson salesman saleswoman businessman
businesswoman businessperson layperson sportsperson congressman congresswoman congressperson
councilman councilwoman councilperson alderman alderwoman assemblyman assemblywoman
chairman anchorman anchorwoman cameraman camerawoman repairman repairwoman deliveryman
draftsman draftswoman journeyman middleman patrolman watchman serviceman servicewoman
warehouseman linesman ferryman boatman cattleman stockman nurseryman yeoman crewman
frontman woman man boss crew personnel faculty workforce team squad company firm agency
department division unit group office clinic hospital school college university campus
tech techie geek guru wizard ninja rockstar evangelist champion ambassador advocate
delegate envoy emissary diplomat consul attaché protégé fiancé émigré chargé maestro
virtuoso soprano tenor alto baritone bass conductor concertmaster organist pianist
guitarist drummer violinist cellist flutist percussionist harpist trumpeter saxophonist
dj emcee host mc referee umpire coach scout jockey caddie caddy trainer lifeguard athlete
player captain goalkeeper pitcher catcher quarterback linebacker striker midfielder
defender rookie veteran manager owner agent promoter matchmaker handler breeder keeper
zookeeper innkeeper shopkeeper storekeeper timekeeper housekeeper gatekeeper doorkeeper
beekeeper bookkeeper goalkeeper peacekeeper greenkeeper hero heroine thief burglar robber
pirate smuggler spy detective sleuth inspector auditor examiner assessor appraiser surveyor
adjuster underwriter actuary analyst planner strategist advisor adviser consultant
coordinator facilitator organizer planner scheduler dispatcher expediter expeditor
estimator buyer purchaser procurer sourcer vendor supplier contractor subcontractor
freelancer consultant temp intern extern resident fellow postdoc lecturer docent curator
conservator restorer archivist librarian cataloger indexer abstractor researcher
investigator scientist technologist technician engineer architect designer drafter
draughtsman modeler animator illustrator cartoonist caricaturist painter sculptor
printmaker photographer retoucher colorist colourist editor proofreader copyeditor writer
author editor publisher printer typesetter compositor

salary wage bonus benefit perk commission tip stipend allowance pension payroll budget
boss hero tomato potato echo veto embargo volcano mosquito domino motto mango buffalo
photo memo logo video studio radio portfolio ratio solo stucco tempo typo zero duo trio
ego halo gecko placebo tuxedo piccolo cello kimono manifesto ghetto inferno commando
wife life knife midwife housewife half calf leaf loaf shelf wolf thief chief belief brief
roof proof hoof sheriff bailiff plaintiff tariff cliff staff wharf scarf dwarf elf self
safe cafe giraffe fife tooth foot goose mouse louse ox child woman man person people
analysis thesis diagnosis crisis basis hypothesis synopsis prognosis emphasis oasis
parenthesis axis criterion phenomenon automaton datum medium curriculum memorandum
millennium consortium stadium forum museum premium quantum spectrum aquarium bacterium
symposium auditorium podium index appendix matrix vertex apex crux box tax fax fix mix
alumnus bonus apparatus status fungus cactus radius syllabus genus corpus census opus
campus virus focus stimulus nucleus octopus prospectus chorus circus bus gas lens atlas
canvas alias bias iris chassis corps series species aircraft spacecraft hovercraft fish
sheep deer moose swine salmon trout offspring cattle equipment monarch matriarch patriarch
oligarch epoch stomach eunuch loch psych beach church ranch branch bench switch watch
dispatch sketch batch launch lunch search approach coach couch pouch torch march speech
dish wish brush crash flash bush ash boss class glass pass mass press dress address
business process access success witness harness fitness wellness

academy accessory accreditation acquisition acupuncture adoption advertisement aerospace
affair agriculture agronomy aide algorithm allocation alliance alumni ambassador amenity
analytics anatomy anesthesia animation annuity apartment app apparel appeal apprenticeship
aquaculture arbitration arborist arena armor army arsenal article asphalt asset assurance
astronomy attorney auction audience audit auditorium authority automation automobile
aviation award backend bakery ballet band bank bankruptcy bar barn barrel base baseball
basket basketball battery bay beauty bed beverage bid biology biotech biotechnology blade
blast block blog blood board boat bond bookstore border bottle boutique bow bowling brand
bread brewery brick broadcast broadcasting brokerage bucket bug bulldozer bureau cabin
cabinet cable cake campaign canal candidate candy canine cannabis capital card cardiology
care carpentry cart case cash casino catalog catering cattle cell cement cemetery ceremony
certificate certification chain chair chamber channel charity chart charter chassis check
cheese chemical chimney chocolate choir cinema circuit citizen city civil claim clay clean
cleaning climate clinic clock closet cloud club coal coast coastguard code coding collateral
college colony column combat comedy comfort command commerce commission committee
communications compensation competition complaint component composite compost conference
consulting consumer contact container content contract contractor convenience copyright
cosmetic cottage council counseling country county courier course craftsmanship credit
crime crisis crystal cuisine culinary culture currency curriculum custody customer customs
cyber cybersecurity dairy dam dance danger dashboard deck defense degree demolition dental
dentistry deposit design detention diagnostic diet digital dining diploma disability
disaster discovery disease distillery district diversity dock document dog donor dorm dose
drainage drawing drill drone drug duty dye ecommerce ecology economy ecosystem editorial
election electricity electronics element embassy emission employee employer employment
encyclopedia endoscopy energy engagement enrollment enterprise entertainment environment
epidemiology escrow estate ethics evaluation evidence exam examination exchange excavation
exercise exhibit exhibition expedition experience export exterior facility factory fair farm
fee fellowship festival field finance firearm firm fishery flag fleet flooring flower fluid
food football forecast forensics foster foundation fragrance franchise fraud frontend fuel
fulfillment fund fundraising furnace gallery gaming garage garden gear gene genetics geology
gift glazing golf grain grant graphics grid grocery growth guest gym gymnastics habitat hair
hall harbor harvest hazard headquarters hearing helicopter helpdesk heritage highway hiking
hire hobby hockey holiday home homeland horse horticulture hose hospice hospital
hospitality housing hull humanity hunting hydraulic hygiene ice identity immigration
import incident income industry infantry infection infrastructure ink inn innovation input
inquiry insight inspection installation instruction integration intelligence interaction
internet internship interview inventory investment invoice irrigation island item jail
jewelry journal journalism judiciary juice jury juvenile kennel key kitchen knowledge
label lab lake land landfill lane lap lawsuit leadership lease lecture ledger legal
legislation leisure lending lesson level liability liberty licensing lift lighting limb
limousine linen liquor litigation livestock loading lobbying logistics loss lottery lumber
machining magazine mailroom makeover mall mammography manufacturing map marina maritime
mark marketplace martial mathematics mattress meal measure mechanics medal medication
membership memorial menu merchant metallurgy meteorology methodology metro microbiology
microwave military milk mill mineral mining ministry mission mobile modeling module mold
monitor monument mortgage motorsport mountain movie municipality mural muscle mushroom
nail nation navy negotiation neighborhood nephrology neurology newsletter newspaper night
noise nonprofit nuclear number nursing nutrition obstetrics ocean offer oncology onboarding
opera ophthalmology optics orchard orchestra organ organization orthodontics outreach
outpatient oversight pack package packaging pain paint palliative panel parcel park parking
parole partnership passenger patent pathology patient pavement payment peak pediatrics
penalty pension perfume permit pet petroleum pharmaceutical phone photography physics
piano pier pipeline pit pizza placement plan planet planning plantation plate platform play
playground plaza plot plumbing pocket podcast poetry point pole polling pollution pool port
portal portfolio position post postage pottery practice precinct pregnancy premises
preschool prescription presentation preservation press price priority prison privacy prize
procedure proceeding profession profile profit project promotion proposal prosecution
prosthetic protocol province psychiatry public publication publicity publishing pulp
purchase quality quantity quarantine query question queue race racing radar radiology
railway range rating reception recipe recognition reconciliation recovery recruitment
recycling redevelopment reef refugee region registry regulation rehab relations relief
relocation remodeling renewal renovation rent reporting reproduction reptile rescue
reserve residence residency resolution respiratory response retail retention retirement
revenue review rhetoric ride rink risk river road robot robotics rodeo role roofing route
routine rubber rug rugby safari salon sample sanitation satellite savings scale scene
schedule scholarship screen screening sculpture sea season seat secret section sector
securities seed segment seminar senate sensor sequence session settlement sewage shelter
shift shipping shipyard shooting shopping shore show shower shrine sign signage silver site
skate ski skill skin slaughter sleep slope smoke snow soap soccer society solar solution
sonar song spa spectrum speech spice spine sponsorship spreadsheet spring squad stable
stadium staffing stage stair stamp standard star startup state statement statistics status
steam stone store storm strategy stream stress string structure studio style subscription
subsidy suite summit supply surgery surplus survival sustainability sweet swim symphony
tactic talent target tattoo taxation tea teaching technology teen teeth temple tennis
terminal territory test testing text theater theology theory thermal threat timber tire
tissue title toll tournament towing town toy trade trademark trading trafficking trail
train transaction transcript transfer transformation transplant trauma treasury trial
tribe trust tuition tunnel turf tutoring underwriting uniform union universe university
upholstery urban urgent usability utility vaccine vacation valuation van vault venture
venue verification vessel veteran victim village vineyard vintage violence visa vision
visitor vocal volunteer voter voyage wage walk warehouse warehousing warranty waste
wastewater watershed wave wealth weapon weather web website wedding weight welfare well
wellness wheel wildlife wine wing winter wire wireless women workforce workplace workshop
world wound wrestling yacht yoga youth zone zoo
accompanist administrator adventurer advertiser aesthetician agriculturist aircrew
anesthesiologist appraiser apprentice arbiter archer artisan assayer attache auctioneer
aviator backer bagger bagpiper bailor balloonist bandleader bandmaster banker barker
bartender bassist batter beautician bellboy benefactor biller binder biographer bodybuilder
bondsman bootmaker bouncer bowler boxer brewmaster bricklayer builder bulldozer bureaucrat
busker butler cabbie calligrapher campaigner canvasser captioner cardiologist caretaker
carhop cartoonist carver caseworker cataloger caterer cellarer censor chandler chaperone
charcoaler chaser checker chemist chimneysweep chorister chronicler cinematographer
circulator clairvoyant clergyman clergywoman clinician coachman coastguardsman codebreaker
cofounder collier columnist commentator commissary commuter compiler concessionaire
confectioner conservationist constable contestant contortionist controller convener
coroner cosmetologist costumer counterfeiter courtier cowhand cowpoke crewmember crofter
croupier cryptographer curate currier cutler dairymaid dancer decorator demographer
demolisher designer detailer dialectician dictator dietitian digger director disc
dispenser docent dockhand dockworker dogcatcher dogsbody dramatist dresser drillmaster
drover drummer dustman economist educationist electrologist enameler enforcer engraver
entertainer entomologist esthetician ethicist ethnographer evaluator examiner executor
expatriate exporter falconer fancier farrier fashioner ferrier fiddler fieldworker
filmmaker financier firefighter fireworker fishmonger fitter flautist fletcher florist
flyer folklorist footballer footman forecaster forger framer freighter fruiterer
fumigator furrier gaffer gamekeeper gardener gasman gemologist genealogist gilder glassmaker
glassworker goatherd goldbeater governor grazier greengrocer greeter grocer guardian
guardsman gymnast haberdasher hairstylist handicapper harpooner harvester haulier hawker
headman healer helmsman herdsman highwayman hiker historiographer homemaker hooker horseman
hosier hotelier housemaster huntsman hypnotist iceman illusionist illustrator importer
improviser infantryman informant innkeeper inventor ironmonger ironsmith jailor janitress
jester jobber joiner journalist judoka juggler jurist keeper kennelman knacker labourer
lacemaker lamplighter landlady landlord landowner lapidary launderer lawmaker leatherworker
letterer lexicographer liaison librettist lighterman lighthouseman limner lineworker
liquidator lobbyist lockkeeper logger lookout loremaster luthier machinist magnate
mailcarrier majordomo manicurist mapmaker marksman masseur masseuse matron mechanist
medievalist mercer merchandiser messenger metallurgist meteorologist metalworker midshipman
miller millworker milkman milliner mineralogist minstrel missioner modiste moneylender
mountaineer muleteer muralist museologist mythologist navvy neurosurgeon newsagent
newscaster newsreader notetaker novelist numismatist nurseryman oarsman observer
obstetrician officiant operative orator orchardist ostler outfitter overseer oysterman
packer page palaeontologist paleontologist pallbearer pamphleteer panelist pantryman
paperboy papermaker parachutist paralegal parishioner parson pathfinder pawnbroker
peddler pedagogue penciller perfumer pharmacologist philanthropist phonetician
photojournalist physiotherapist pianist picker pitman planter plasterer playmaker
plowman plumber poacher polisher pollster portraitist postmistress potter poulterer
preacher prefect presbyter priestess printmaker prizefighter probationer prospector
provider psychoanalyst publican puppeteer quarryman quartermaster rainmaker realtor
recordkeeper rector refiner registrant reiki remover renter repossessor rescuer retailer
retoucher ringmaster riveter roadie roaster ropemaker rouseabout rower saddler sailmaker
salesclerk salter salvager sawyer saxophonist scaffolder schoolmaster schoolmistress
schoolteacher scorekeeper scrivener seamster secretariat seer sensei sentinel serjeant
settler sewist shearer shipbuilder shipper shoemaker shopgirl showman shrimper signwriter
silversmith singer skater skipper slater smelter smith snowplower soapmaker solicitor
songsmith songster soothsayer sorter speechwriter spinner spokesmodel sportscaster
sportswriter squire stableman stagehand stationer steelworker stenographer steward
stockbroker stockbroker stocker stoker storyteller strategist stripper stylist subeditor
superhero supervisor surfer swimmer swordsmith tallyman tapster taskmaster taxidermist
teamster telegrapher telephonist televangelist thatcher therapist threshold ticketer
tinker tinsmith toolmaker topographer toymaker trackman tradesperson translator trapeze
traveler treasurer trekker trucker trumpeter tuner turner tutor typesetter typographer
undersecretary upholsterer usherette valuer vaulter ventriloquist verger vicar victualler
vintner violinist virologist vocalist wagoner wainwright waiter warder warrior washer
watchmaker weatherman weaver webmaster welder wheeler whaler whittler wigmaker winemaker
woodcutter woodsman woodworker wrangler wrestler writer yachtsman zookeeper
"""


def vocabulary() -> list[str]:
    """Our words plus inflect's irregular and uninflected nouns, lower-case, single words."""
    import inflect

    words = set(VOCABULARY.split())
    for name in ("pl_sb_irregular", "pl_sb_U_man_mans_list",
                 "pl_sb_uninflected_complete", "pl_sb_C_us_i_list", "pl_sb_U_us_i_list",
                 "pl_sb_U_a_ae_list", "pl_sb_C_a_ae_list", "pl_sb_U_um_a_list",
                 "pl_sb_C_um_a_list", "pl_sb_U_on_a_list", "pl_sb_C_o_i"):
        source = getattr(inflect, name, ())
        words.update(source.split() if isinstance(source, str) else source)
    return sorted(w.lower() for w in words
                  if w.isalpha() and " " not in w and w.lower() not in grammar.IRREGULAR)


def build() -> dict[str, str]:
    table = {word: grammar.inflect_plural(word) for word in vocabulary()}
    plurals = {p for w, p in [*table.items(), *grammar.IRREGULAR.items()] if p != w}
    # A plural form in the list ("teeth") is not a singular: leave it to the reverse lookup.
    return {w: p for w, p in sorted(table.items()) if w not in plurals or p == w}


def render(table: dict[str, str]) -> str:
    return json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    text = render(build())
    if "--check" in argv:
        if grammar.TABLE_PATH.read_text(encoding="utf-8") != text:
            print(f"{grammar.TABLE_PATH} is stale: run python tools/build_inflections.py")
            return 1
        return 0
    grammar.TABLE_PATH.parent.mkdir(parents=True, exist_ok=True)
    grammar.TABLE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {len(text.splitlines()) - 2} words, {len(text.encode())} bytes "
          f"to {grammar.TABLE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
