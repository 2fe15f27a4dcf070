"""The demo mission's commitments, the previous final report's recommendations with the
mission's assessments, and evidence tagged with both. Written in bulk with their audit
entries (channel demo), deterministic.

What is quoted and what is not:
- ICCPR article 25 is quoted in English (`quoted=True`, with the address of the Covenant's
  text at OHCHR). Its Russian and Kazakh texts are the mission's translations, each saying so
  in its first words (the official Russian text of the UN was not at hand to check them
  against), and the page never shows them as quoted.
- The paragraphs of the Copenhagen Document 1990 and of the UN Human Rights Committee's
  General Comment 25 are the mission's paraphrases (`quoted=False`), each with the address of
  the document: their exact words could not be checked against the text at hand, and a
  paraphrase is never shown as the document's words.
- The recommendations of ODIHR's final report on the parliamentary elections of 10 January 2021
  (Warsaw, 26 March 2021; 25 recommendations) could not be read whole: the list below is
  synthetic (`synthetic=True`, never quoted), worded by the mission after the subjects ODIHR's
  announcement of the report names (fundamental freedoms, party registration, citizen
  observers, freedom of expression, candidacy, dispute resolution, results); its numbering is
  not the report's. The assessments are synthetic too.
- Every text is given in English, Russian and Kazakh: the Russian and Kazakh ones are the
  mission's translations, marked as the English ones are (paraphrase, synthetic).
"""

from __future__ import annotations

from eom.complaints.models import Case
from eom.lto.models import Heading, Report, ReportStatus, Section
from eom.missions import audit
from eom.missions.models import Channel, Meeting, Mission
from eom.observation.models import Form

from ..standards.models import (
    Assessment,
    AssessmentStatus,
    Commitment,
    EvidenceKind,
    Recommendation,
    Tag,
)

COPENHAGEN = "Copenhagen Document 1990"
COPENHAGEN_URL = "https://www.osce.org/odihr/elections/14304"
ICCPR = "ICCPR"
ICCPR_URL = ("https://www.ohchr.org/en/instruments-mechanisms/instruments/"
             "international-covenant-civil-and-political-rights")
GC25 = "UN HRC General Comment 25"
GC25_URL = "https://www.refworld.org/legal/general/hrc/1996/en/27177"

# (source, reference, title, title_ru, title_kk, text, quoted, url)
COMMITMENTS = [
    (COPENHAGEN, "para 5.1", "Free elections by secret ballot",
     "Свободные выборы тайным голосованием", "Жасырын дауыс берумен еркін сайлау",
     "Paraphrase: free elections held at reasonable intervals by secret ballot or an "
     "equivalent free voting procedure, under conditions that ensure the free expression of "
     "the electors' opinion, are among the elements of justice.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 5.10", "Effective means of redress",
     "Эффективные средства правовой защиты", "Құқықтық қорғаудың тиімді құралдары",
     "Paraphrase: everyone has an effective means of redress against administrative "
     "decisions, so that fundamental rights and legal integrity are respected.", False,
     COPENHAGEN_URL),
    (COPENHAGEN, "para 6", "The will of the people, the basis of authority",
     "Воля народа — основа власти", "Халық еркі — биліктің негізі",
     "Paraphrase: the will of the people, freely and fairly expressed through periodic and "
     "genuine elections, is the basis of the authority and legitimacy of all government; the "
     "participating States respect the right of citizens to take part in governing their "
     "country.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.1", "Elections at reasonable intervals",
     "Выборы через разумные промежутки времени", "Ақылға қонымды мерзімдермен сайлау",
     "Paraphrase: free elections are held at reasonable intervals, as established by law.",
     False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.3", "Universal and equal suffrage",
     "Всеобщее и равное избирательное право", "Жалпыға бірдей және тең сайлау құқығы",
     "Paraphrase: adult citizens have universal and equal suffrage.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.4", "Secret ballot, honest count, results made public",
     "Тайное голосование, честный подсчёт, публикация итогов",
     "Жасырын дауыс беру, адал санау, қорытындыларды жариялау",
     "Paraphrase: votes are cast by secret ballot or an equivalent free voting procedure, and "
     "are counted and reported honestly, with the official results made public.", False,
     COPENHAGEN_URL),
    (COPENHAGEN, "para 7.5", "The right to stand for office",
     "Право баллотироваться", "Сайлануға құқық",
     "Paraphrase: citizens may seek political or public office, individually or as "
     "representatives of political parties or organisations, without discrimination.", False,
     COPENHAGEN_URL),
    (COPENHAGEN, "para 7.6", "Political parties compete on equal terms",
     "Равные условия для политических партий", "Саяси партиялар үшін тең жағдай",
     "Paraphrase: individuals and groups may establish political parties or organisations in "
     "full freedom, and these have the legal guarantees to compete with each other on the "
     "basis of equal treatment before the law and the authorities.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.7", "A campaign free of intimidation",
     "Агитация без запугивания", "Қорқытусыз үгіт",
     "Paraphrase: law and public policy allow campaigning in a fair and free atmosphere, in "
     "which neither administrative action, violence nor intimidation bars parties and "
     "candidates from presenting their views, or prevents voters from learning and discussing "
     "them and voting free of fear of retribution.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.8", "Unimpeded access to the media",
     "Беспрепятственный доступ к СМИ", "БАҚ-қа кедергісіз қол жеткізу",
     "Paraphrase: no legal or administrative obstacle stands in the way of unimpeded access "
     "to the media on a non-discriminatory basis for all political groupings and individuals "
     "wishing to take part in the election.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 7.9", "Winners duly installed",
     "Избранные кандидаты вступают в должность", "Сайланған кандидаттар қызметке кіріседі",
     "Paraphrase: candidates who obtain the necessary number of votes required by law are "
     "duly installed in office and permitted to remain in office until their term expires.",
     False, COPENHAGEN_URL),
    (COPENHAGEN, "para 8", "Observers, foreign and domestic",
     "Иностранные и национальные наблюдатели", "Шетелдік және отандық байқаушылар",
     "Paraphrase: the presence of observers, both foreign and domestic, can enhance the "
     "electoral process; the participating States invite observers from other participating "
     "States and from appropriate institutions and organisations, and facilitate access "
     "to election proceedings below the national level.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 9.1", "Freedom of expression",
     "Свобода выражения мнений", "Пікір білдіру бостандығы",
     "Paraphrase: everyone has the right to freedom of expression, including to hold opinions "
     "and to receive and impart information and ideas without interference by public "
     "authority and regardless of frontiers.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 9.2", "Freedom of peaceful assembly",
     "Свобода мирных собраний", "Бейбіт жиналыстар бостандығы",
     "Paraphrase: everyone has the right of peaceful assembly and demonstration; any "
     "restriction is prescribed by law and consistent with international standards.", False,
     COPENHAGEN_URL),
    (COPENHAGEN, "para 9.3", "Freedom of association",
     "Свобода объединений", "Бірлестіктер бостандығы",
     "Paraphrase: the right of association is guaranteed, including the right to form and "
     "join political parties.", False, COPENHAGEN_URL),
    (COPENHAGEN, "para 10.1", "Seeking and imparting information on human rights",
     "Поиск и распространение информации о правах человека",
     "Адам құқықтары туралы ақпаратты іздеу және тарату",
     "Paraphrase: the right of individuals, alone or with others, to seek, receive and impart "
     "information and views on human rights and fundamental freedoms is respected.", False,
     COPENHAGEN_URL),
    (ICCPR, "art. 25", "The right to take part in public affairs, to vote and to be elected",
     "Право участвовать в ведении государственных дел, голосовать и быть избранным",
     "Мемлекеттік істерді жүргізуге қатысу, дауыс беру және сайлану құқығы",
     "Every citizen shall have the right and the opportunity, without any of the distinctions "
     "mentioned in article 2 and without unreasonable restrictions:\n"
     "(a) To take part in the conduct of public affairs, directly or through freely chosen "
     "representatives;\n"
     "(b) To vote and to be elected at genuine periodic elections which shall be by universal "
     "and equal suffrage and shall be held by secret ballot, guaranteeing the free expression "
     "of the will of the electors;\n"
     "(c) To have access, on general terms of equality, to public service in his country.",
     True, ICCPR_URL),
    (GC25, "para 19", "Free expression of the electors' will",
     "Свободное волеизъявление избирателей", "Сайлаушылардың еркін ерік білдіруі",
     "Paraphrase: voters form their opinions independently, free of violence, threat, "
     "inducement or manipulation of any kind; reasonable limits on campaign spending may be "
     "justified to keep the choice free.", False, GC25_URL),
    (GC25, "para 20", "An independent electoral authority and secret ballot",
     "Независимый избирательный орган и тайна голосования",
     "Тәуелсіз сайлау органы және дауыс беру құпиясы",
     "Paraphrase: an independent electoral authority supervises the process and ensures it is "
     "conducted fairly and impartially under the law; the secrecy of the vote, the security "
     "of ballot boxes and an independent scrutiny of voting and counting are guaranteed, with "
     "access to judicial review.", False, GC25_URL),
    (GC25, "para 25", "Free communication of information and ideas",
     "Свободный обмен информацией и идеями", "Ақпарат пен идеялардың еркін алмасуы",
     "Paraphrase: the full enjoyment of the rights of article 25 requires the free "
     "communication of information and ideas on public and political issues between citizens, "
     "candidates and elected representatives, and a free press and other media able to "
     "comment without censorship or restraint.", False, GC25_URL),
]

# Russian and Kazakh texts of the demo's commitments, keyed by (source, reference): the mission's
# translations (never quoted), paraphrases marked as the English ones are.
COMMITMENT_TEXTS = {
    (COPENHAGEN, "para 5.1"): (
        "Пересказ: свободные выборы, проводимые через разумные промежутки времени тайным "
        "голосованием или равноценной свободной процедурой голосования в условиях, "
        "обеспечивающих свободное выражение мнения избирателей, входят в число элементов "
        "справедливости.",
        "Мазмұндама: ақылға қонымды мерзімдермен жасырын дауыс беру немесе оған тең еркін "
        "дауыс беру рәсімі арқылы, сайлаушылардың пікірін еркін білдіруін қамтамасыз ететін "
        "жағдайда өтетін еркін сайлау әділдік элементтерінің бірі болып табылады."),
    (COPENHAGEN, "para 5.10"): (
        "Пересказ: каждый имеет эффективные средства правовой защиты против административных "
        "решений, чтобы обеспечить уважение основных прав и правовую целостность.",
        "Мазмұндама: негізгі құқықтар мен құқықтық тұтастықтың сақталуы үшін әркімнің "
        "әкімшілік шешімдерге қарсы құқықтық қорғаудың тиімді құралдары бар."),
    (COPENHAGEN, "para 6"): (
        "Пересказ: воля народа, свободно и справедливо выраженная на периодических и "
        "подлинных выборах, является основой полномочий и легитимности любого правительства; "
        "государства-участники уважают право граждан принимать участие в управлении своей "
        "страной.",
        "Мазмұндама: мерзімді және шынайы сайлауда еркін әрі әділ білдірілген халық еркі кез "
        "келген үкіметтің өкілеттігі мен заңдылығының негізі болып табылады; қатысушы "
        "мемлекеттер азаматтардың өз елін басқаруға қатысу құқығын құрметтейді."),
    (COPENHAGEN, "para 7.1"): (
        "Пересказ: свободные выборы проводятся через разумные промежутки времени, "
        "установленные законом.",
        "Мазмұндама: еркін сайлау заңда белгіленген ақылға қонымды мерзімдермен өткізіледі."),
    (COPENHAGEN, "para 7.3"): (
        "Пересказ: совершеннолетние граждане обладают всеобщим и равным избирательным правом.",
        "Мазмұндама: кәмелетке толған азаматтардың жалпыға бірдей және тең сайлау құқығы бар."),
    (COPENHAGEN, "para 7.4"): (
        "Пересказ: голосование проводится тайно или посредством равноценной свободной "
        "процедуры, голоса подсчитываются и сообщаются честно, а официальные итоги "
        "публикуются.",
        "Мазмұндама: дауыс беру жасырын немесе оған тең еркін рәсім арқылы өтеді, дауыстар "
        "адал саналып, хабарланады, ал ресми қорытындылар жарияланады."),
    (COPENHAGEN, "para 7.5"): (
        "Пересказ: граждане могут добиваться политических или государственных должностей "
        "лично или как представители политических партий или организаций, без "
        "дискриминации.",
        "Мазмұндама: азаматтар саяси немесе мемлекеттік лауазымға жеке өзі немесе саяси "
        "партиялар мен ұйымдардың өкілі ретінде кемсітусіз ұмтыла алады."),
    (COPENHAGEN, "para 7.6"): (
        "Пересказ: граждане и группы могут в полной свободе создавать политические партии "
        "или организации, которые имеют правовые гарантии, позволяющие им состязаться друг с "
        "другом на основе равного отношения со стороны закона и властей.",
        "Мазмұндама: жеке адамдар мен топтар саяси партиялар мен ұйымдарды толық еркіндікте "
        "құра алады, ал оларға заң мен билік алдында тең қарым-қатынас негізінде бір-бірімен "
        "бәсекелесуге құқықтық кепілдіктер беріледі."),
    (COPENHAGEN, "para 7.7"): (
        "Пересказ: закон и государственная политика позволяют вести агитацию в честной и "
        "свободной атмосфере, в которой ни административные действия, ни насилие, ни "
        "запугивание не мешают партиям и кандидатам излагать свои взгляды, а избирателям — "
        "знакомиться с ними, обсуждать их и голосовать, не опасаясь возмездия.",
        "Мазмұндама: заң мен мемлекеттік саясат үгітті әділ әрі еркін ахуалда жүргізуге "
        "мүмкіндік береді: әкімшілік әрекет те, зорлық-зомбылық та, қорқыту да партиялар мен "
        "кандидаттардың өз көзқарасын білдіруіне, ал сайлаушылардың оларды біліп, талқылап, "
        "жазадан қорықпай дауыс беруіне кедергі келтірмейді."),
    (COPENHAGEN, "para 7.8"): (
        "Пересказ: никакие правовые или административные препятствия не стоят на пути "
        "беспрепятственного и недискриминационного доступа к СМИ для всех политических "
        "групп и лиц, желающих участвовать в выборах.",
        "Мазмұндама: сайлауға қатысқысы келетін барлық саяси топтар мен жеке адамдардың "
        "БАҚ-қа кемсітусіз әрі кедергісіз қол жеткізуіне ешқандай құқықтық немесе әкімшілік "
        "кедергі болмайды."),
    (COPENHAGEN, "para 7.9"): (
        "Пересказ: кандидаты, получившие необходимое по закону число голосов, должным "
        "образом вступают в должность и остаются в ней до истечения срока полномочий.",
        "Мазмұндама: заң талап ететін дауыс санын алған кандидаттар қызметке тиісті түрде "
        "кіріседі және өкілеттік мерзімі біткенге дейін қызметте қалады."),
    (COPENHAGEN, "para 8"): (
        "Пересказ: присутствие наблюдателей, как иностранных, так и национальных, может "
        "укрепить избирательный процесс; государства-участники приглашают наблюдателей из "
        "других государств-участников и от соответствующих учреждений и организаций и "
        "облегчают им доступ к выборам ниже национального уровня.",
        "Мазмұндама: шетелдік те, отандық та байқаушылардың болуы сайлау үдерісін нығайта "
        "алады; қатысушы мемлекеттер басқа қатысушы мемлекеттерден және тиісті мекемелер мен "
        "ұйымдардан байқаушылар шақырады және олардың ұлттық деңгейден төмен сайлау "
        "рәсімдеріне қол жеткізуін жеңілдетеді."),
    (COPENHAGEN, "para 9.1"): (
        "Пересказ: каждый имеет право на свободу выражения мнений, включая свободу "
        "придерживаться своих мнений, получать и распространять информацию и идеи без "
        "вмешательства государственных органов и независимо от государственных границ.",
        "Мазмұндама: әркімнің пікір білдіру бостандығына, соның ішінде өз пікірін ұстануға, "
        "мемлекеттік органдардың араласуынсыз және мемлекеттік шекараларға қарамастан "
        "ақпарат пен идеяларды алуға және таратуға құқығы бар."),
    (COPENHAGEN, "para 9.2"): (
        "Пересказ: каждый имеет право на мирные собрания и демонстрации; любые ограничения "
        "предусматриваются законом и соответствуют международным стандартам.",
        "Мазмұндама: әркімнің бейбіт жиналыстар мен демонстрацияларға құқығы бар; кез келген "
        "шектеу заңда көзделеді және халықаралық стандарттарға сай келеді."),
    (COPENHAGEN, "para 9.3"): (
        "Пересказ: право на объединение гарантируется, включая право создавать политические "
        "партии и вступать в них.",
        "Мазмұндама: бірлестіктерге құқыққа, соның ішінде саяси партиялар құруға және оларға "
        "кіруге құқыққа кепілдік беріледі."),
    (COPENHAGEN, "para 10.1"): (
        "Пересказ: уважается право лиц, индивидуально или совместно с другими, искать, "
        "получать и распространять информацию и мнения о правах человека и основных "
        "свободах.",
        "Мазмұндама: адамдардың жеке өзі немесе басқалармен бірге адам құқықтары мен негізгі "
        "бостандықтар туралы ақпарат пен пікірлерді іздеу, алу және тарату құқығы "
        "құрметтеледі."),
    (ICCPR, "art. 25"): (
        "Перевод миссии, не официальный текст Пакта: каждый гражданин должен иметь без "
        "какой бы то ни было дискриминации, упоминаемой в статье 2, и без необоснованных "
        "ограничений право и возможность:\n"
        "a) принимать участие в ведении государственных дел как непосредственно, так и через "
        "посредство свободно выбранных представителей;\n"
        "b) голосовать и быть избранным на подлинных периодических выборах, производимых на "
        "основе всеобщего и равного избирательного права при тайном голосовании и "
        "обеспечивающих свободное волеизъявление избирателей;\n"
        "c) допускаться в своей стране на общих условиях равенства к государственной службе.",
        "Миссияның аудармасы, Пактінің ресми мәтіні емес: әрбір азаматтың 2-бапта аталған "
        "ешқандай кемсітусіз және негізсіз шектеулерсіз мынадай құқығы мен мүмкіндігі "
        "болуға тиіс:\n"
        "a) мемлекеттік істерді жүргізуге тікелей де, еркін сайланған өкілдері арқылы да "
        "қатысуға;\n"
        "b) жалпыға бірдей және тең сайлау құқығы негізінде жасырын дауыс беру арқылы "
        "өткізілетін, сайлаушылардың ерік-жігерін еркін білдіруін қамтамасыз ететін шынайы "
        "мерзімді сайлауда дауыс беруге және сайлануға;\n"
        "c) өз елінде жалпы теңдік шарттарымен мемлекеттік қызметке кіруге."),
    (GC25, "para 19"): (
        "Пересказ: избиратели формируют своё мнение независимо, без насилия, угроз, "
        "подкупа или какого-либо манипулирования; разумные ограничения расходов на "
        "агитацию могут быть оправданы, чтобы выбор оставался свободным.",
        "Мазмұндама: сайлаушылар өз пікірін тәуелсіз, зорлық-зомбылықсыз, қоқан-лоққысыз, "
        "сатып алусыз немесе кез келген айла-шарғысыз қалыптастырады; таңдаудың еркін болуы "
        "үшін үгіт шығыстарына ақылға қонымды шектеулер негізді болуы мүмкін."),
    (GC25, "para 20"): (
        "Пересказ: независимый избирательный орган руководит процессом и обеспечивает его "
        "честное и беспристрастное проведение в соответствии с законом; гарантируются тайна "
        "голосования, сохранность избирательных урн и независимая проверка голосования и "
        "подсчёта голосов с возможностью судебного обжалования.",
        "Мазмұндама: тәуелсіз сайлау органы үдерісті басқарады және оның заңға сай адал әрі "
        "бейтарап өтуін қамтамасыз етеді; дауыс беру құпиясына, сайлау жәшіктерінің "
        "сақталуына және дауыс беру мен санаудың тәуелсіз тексерілуіне сот арқылы шағымдану "
        "мүмкіндігімен кепілдік беріледі."),
    (GC25, "para 25"): (
        "Пересказ: полное осуществление прав по статье 25 требует свободного обмена "
        "информацией и идеями по общественным и политическим вопросам между гражданами, "
        "кандидатами и избранными представителями, а также свободной прессы и других СМИ, "
        "способных высказываться без цензуры и ограничений.",
        "Мазмұндама: 25-баптағы құқықтарды толық жүзеге асыру азаматтар, кандидаттар және "
        "сайланған өкілдер арасында қоғамдық және саяси мәселелер бойынша ақпарат пен "
        "идеялардың еркін алмасуын, сондай-ақ цензурасыз және шектеусіз пікір айта алатын "
        "еркін баспасөз бен өзге де БАҚ-ты талап етеді."),
}

SYNTHETIC = "Synthetic demo assessment:"
SYNTHETIC_RU = "Синтетическая оценка для демонстрации:"
SYNTHETIC_KK = "Демонстрацияға арналған синтетикалық бағалау:"

REPORT_2021 = ("ODIHR Limited Election Observation Mission Final Report, Republic of "
               "Kazakhstan, Parliamentary Elections, 10 January 2021")
# (number, priority, text, status, evidence); every text synthetic (see the module's docstring).
RECOMMENDATIONS = [
    (1, "priority", "Review the law and its application so that citizens can exercise their "
     "civil and political rights without fear of retribution, punitive administrative action "
     "or intimidation.", AssessmentStatus.NOT_IMPLEMENTED,
     "LTO reports from several regions describe voters and activists reluctant to speak "
     "openly; no change in the law was made."),
    (2, "priority", "Simplify the registration of political parties, lowering the membership "
     "requirement and the regional representation it demands, to encourage pluralism.",
     AssessmentStatus.PARTLY, "The membership threshold was lowered to 5,000 in 2022; new parties still "
     "report refusals on formal grounds."),
    (3, "priority", "Consult widely and in good time on lifting undue restrictions on the "
     "freedoms of peaceful assembly, expression and association.", AssessmentStatus.PARTLY,
     "Notification replaced permission for some assemblies; designated places remain."),
    (4, "priority", "Apply the rules on citizen observers without restriction, and let them "
     "observe every stage of the process, including counting and tabulation.", AssessmentStatus.PARTLY,
     "Citizen observers were present at most counts observed; several reports of observers "
     "kept at a distance from the count."),
    (5, "priority", "Bring the law on freedom of expression, including defamation and "
     "incitement to hatred, into line with international standards.",
     AssessmentStatus.NOT_IMPLEMENTED, "Criminal defamation remains in the Criminal Code."),
    (6, None, "Remove the requirement that a candidate be nominated by a party, allowing "
     "independent candidates.", AssessmentStatus.IMPLEMENTED,
     "The 2022 constitutional amendments introduced single-member districts open to "
     "self-nominated candidates."),
    (7, None, "Lift the restriction of candidacy for those with a criminal record for minor "
     "offences, and the residence requirement.", AssessmentStatus.NOT_ASSESSED, ""),
    (8, None, "Ensure that complaints are heard in public sessions, decided in substance and "
     "within the deadlines, with reasoned decisions published.", AssessmentStatus.PARTLY,
     "Commissions decided most complaints on time; many were returned without consideration "
     "of their substance."),
    (9, None, "Publish the results of every polling station, in a machine-readable form, "
     "promptly after the count.", AssessmentStatus.PARTLY,
     "LTO teams found results posted at the precinct commissions they visited; the "
     "national table came later than the law's deadline for summing up."),
    (10, None, "Give the media that are state-owned or state-funded the duty to cover all "
     "contestants impartially and equally.", AssessmentStatus.NOT_IMPLEMENTED,
     "Media monitoring found state broadcasters favouring the ruling party."),
    (11, None, "Make election commissions more independent, with transparent appointment and "
     "representation of parties at all levels.", AssessmentStatus.NOT_ASSESSED, ""),
    (12, None, "Elect the nine deputies of the lower house chosen by the Assembly of the "
     "People of Kazakhstan in a transparent procedure, with its results published.",
     AssessmentStatus.NO_LONGER_RELEVANT,
     "The 2022 constitutional amendments removed these seats from the lower house."),
]

# number → (text_ru, text_kk, evidence_ru, evidence_kk): the mission's translations of the
# synthetic texts above, synthetic as they are.
RECOMMENDATIONS_RU_KK = {
    1: ("Пересмотреть закон и практику его применения, чтобы граждане могли осуществлять свои "
        "гражданские и политические права, не опасаясь возмездия, карательных "
        "административных мер или запугивания.",
        "Азаматтар өздерінің азаматтық және саяси құқықтарын жазадан, жазалаушы әкімшілік "
        "шаралардан немесе қорқытудан қорықпай жүзеге асыра алуы үшін заңды және оны қолдану "
        "тәжірибесін қайта қарау.",
        "Отчёты ДН из нескольких регионов описывают избирателей и активистов, не решающихся "
        "говорить открыто; закон не изменён.",
        "Бірнеше өңірдің ҰМБ есептерінде ашық сөйлеуге батпайтын сайлаушылар мен белсенділер "
        "сипатталады; заң өзгертілмеді."),
    2: ("Упростить регистрацию политических партий, снизив требования к численности членов и "
        "к представленности в регионах, чтобы поощрять плюрализм.",
        "Плюрализмді көтермелеу үшін мүшелер санына және өңірлерде өкілдіктің болуына "
        "қойылатын талаптарды төмендетіп, саяси партияларды тіркеуді жеңілдету.",
        "Порог численности снижен до 5 000 в 2022 году; новые партии по-прежнему сообщают об "
        "отказах по формальным основаниям.",
        "Мүшелер санының шегі 2022 жылы 5 000-ға дейін төмендетілді; жаңа партиялар әлі де "
        "формальды негіздер бойынша бас тартулар туралы хабарлайды."),
    3: ("Провести широкие и своевременные консультации об отмене излишних ограничений "
        "свободы мирных собраний, выражения мнений и объединений.",
        "Бейбіт жиналыстар, пікір білдіру және бірлестіктер бостандығына қойылған артық "
        "шектеулерді алып тастау туралы кең әрі уақтылы кеңесу.",
        "Для некоторых собраний разрешение заменено уведомлением; специально отведённые места "
        "сохраняются.",
        "Кейбір жиналыстар үшін рұқсаттың орнына хабарлама енгізілді; арнайы бөлінген орындар "
        "сақталып отыр."),
    4: ("Применять правила о гражданских наблюдателях без ограничений и допускать их к "
        "наблюдению за всеми этапами процесса, включая подсчёт голосов и подведение итогов.",
        "Азаматтық байқаушылар туралы ережелерді шектеусіз қолдану және оларға үдерістің "
        "барлық кезеңін, соның ішінде дауыс санау мен қорытынды шығаруды бақылауға мүмкіндік "
        "беру.",
        "Гражданские наблюдатели присутствовали на большинстве наблюдавшихся подсчётов; "
        "несколько сообщений о наблюдателях, которых держали на расстоянии от подсчёта.",
        "Азаматтық байқаушылар бақыланған санаулардың көбінде болды; байқаушыларды санаудан "
        "алыс ұстағаны туралы бірнеше хабар бар."),
    5: ("Привести закон о свободе выражения мнений, включая положения о клевете и "
        "разжигании ненависти, в соответствие с международными стандартами.",
        "Пікір білдіру бостандығы туралы заңды, соның ішінде жала жабу мен өшпенділікті "
        "қоздыру туралы ережелерді халықаралық стандарттарға сәйкестендіру.",
        "Уголовная ответственность за клевету сохраняется в Уголовном кодексе.",
        "Жала жапқаны үшін қылмыстық жауаптылық Қылмыстық кодексте сақталып отыр."),
    6: ("Отменить требование о выдвижении кандидата партией, допустив независимых "
        "кандидатов.",
        "Кандидатты партияның ұсынуы туралы талапты алып тастап, тәуелсіз кандидаттарға жол "
        "беру.",
        "Конституционные поправки 2022 года ввели одномандатные округа, открытые для "
        "самовыдвиженцев.",
        "2022 жылғы конституциялық түзетулер өзін-өзі ұсынған кандидаттарға ашық бір "
        "мандатты округтерді енгізді."),
    7: ("Снять ограничение права баллотироваться для лиц с судимостью за незначительные "
        "правонарушения, а также требование о проживании.",
        "Онша ауыр емес құқық бұзушылықтар үшін сотталғандығы бар адамдардың сайлану "
        "құқығына қойылған шектеуді және тұру мерзімі туралы талапты алып тастау.",
        "", ""),
    8: ("Обеспечить рассмотрение жалоб на открытых заседаниях, по существу и в "
        "установленные сроки, с публикацией мотивированных решений.",
        "Шағымдардың ашық отырыстарда, мәні бойынша және белгіленген мерзімде қаралуын, "
        "дәлелді шешімдердің жариялануын қамтамасыз ету.",
        "Комиссии решили большинство жалоб в срок; многие были возвращены без рассмотрения "
        "по существу.",
        "Комиссиялар шағымдардың көбін мерзімінде шешті; көбі мәні бойынша қаралмай "
        "қайтарылды."),
    9: ("Публиковать итоги по каждому избирательному участку в машиночитаемом виде сразу "
        "после подсчёта голосов.",
        "Әрбір сайлау учаскесінің қорытындыларын дауыс санағаннан кейін бірден машина оқи "
        "алатын түрде жариялау.",
        "Группы ДН видели итоги, вывешенные в посещённых участковых комиссиях; общенациональная "
        "таблица появилась позже установленного законом срока подведения итогов.",
        "ҰМБ топтары барған учаскелік комиссияларда ілінген қорытындыларды көрді; жалпыұлттық "
        "кесте заңда белгіленген қорытынды шығару мерзімінен кеш шықты."),
    10: ("Обязать государственные и финансируемые государством СМИ освещать всех участников "
         "выборов беспристрастно и одинаково.",
         "Мемлекеттік және мемлекет қаржыландыратын БАҚ-қа сайлауға қатысушылардың барлығын "
         "бейтарап әрі тең жариялау міндетін жүктеу.",
         "Мониторинг СМИ показал, что государственные вещатели отдавали предпочтение правящей "
         "партии.",
         "БАҚ мониторингі мемлекеттік хабар таратушылардың билеуші партияға басымдық бергенін "
         "көрсетті."),
    11: ("Повысить независимость избирательных комиссий, обеспечив прозрачное назначение их "
         "членов и представленность партий на всех уровнях.",
         "Мүшелерін ашық тағайындау және барлық деңгейде партиялардың өкілдігін қамтамасыз ету "
         "арқылы сайлау комиссияларының тәуелсіздігін арттыру.",
         "", ""),
    12: ("Избирать девять депутатов нижней палаты, избираемых Ассамблеей народа Казахстана, "
         "по прозрачной процедуре с публикацией её итогов.",
         "Қазақстан халқы Ассамблеясы сайлайтын төменгі палатаның тоғыз депутатын ашық рәсіммен "
         "сайлау және оның қорытындыларын жариялау.",
         "Конституционные поправки 2022 года упразднили эти места в нижней палате.",
         "2022 жылғы конституциялық түзетулер төменгі палатадағы бұл орындарды алып тастады."),
}

# (commitment reference, kind, what): evidence tagged with a commitment.
LTO_TAGS = [("para 7.7", Heading.CAMPAIGN_ENVIRONMENT), ("para 7.8", Heading.MEDIA),
            ("para 7.4", Heading.ELECTION_ADMINISTRATION), ("para 8", Heading.OBSERVERS),
            ("para 5.10", Heading.COMPLAINTS), ("para 7.5", Heading.CANDIDATE_REGISTRATION)]
INDICATOR_TAGS = [("para 7.4", "voting", "ballot_stuffing"),
                  ("para 7.4", "counting", "counting_negative"),
                  ("para 8", "voting", "voting_unauthorised")]


def load_standards(mission: Mission, actor) -> dict[str, int]:
    """Commitments, recommendations, assessments and tags for the demo mission; returns how
    many of each. Run after the LTO reports, complaints, meetings and checklists are loaded."""
    entries: list[tuple[str, object, dict]] = []
    commitments = Commitment.objects.bulk_create([
        Commitment(mission=mission, source=source, reference=reference, title=title,
                   title_ru=title_ru, title_kk=title_kk, text=text,
                   text_ru=COMMITMENT_TEXTS[source, reference][0],
                   text_kk=COMMITMENT_TEXTS[source, reference][1], quoted=quoted,
                   source_url=url)
        for source, reference, title, title_ru, title_kk, text, quoted, url in COMMITMENTS])
    by_reference = {c.reference: c for c in commitments if c.source != GC25}
    entries += [("create", c, audit.diff({}, audit.snapshot(c))) for c in commitments]
    recommendations = Recommendation.objects.bulk_create([
        Recommendation(mission=mission, report_name=REPORT_2021, report_year=2021,
                       number=number, text=text, text_ru=RECOMMENDATIONS_RU_KK[number][0],
                       text_kk=RECOMMENDATIONS_RU_KK[number][1], priority=priority or "",
                       synthetic=True)
        for number, priority, text, _status, _evidence in RECOMMENDATIONS])
    entries += [("create", r, audit.diff({}, audit.snapshot(r))) for r in recommendations]
    assessments = Assessment.objects.bulk_create([
        Assessment(recommendation=r, status=status, evidence=f"{SYNTHETIC} {evidence}",
                   evidence_ru=f"{SYNTHETIC_RU} {RECOMMENDATIONS_RU_KK[r.number][2]}",
                   evidence_kk=f"{SYNTHETIC_KK} {RECOMMENDATIONS_RU_KK[r.number][3]}",
                   synthetic=True)
        for r, (_n, _p, _t, status, evidence) in zip(recommendations, RECOMMENDATIONS,
                                                      strict=True)
        if status != AssessmentStatus.NOT_ASSESSED])
    entries += [("create", a, audit.diff({}, audit.snapshot(a))) for a in assessments]
    tags = _tags(mission, actor, by_reference, {r.number: r for r in recommendations})
    entries += [("create", t, audit.diff({}, audit.snapshot(t))) for t in tags]
    audit.record_many(actor=None, channel=Channel.DEMO, entries=entries, mission=mission)
    return {"commitments": len(commitments), "recommendations": len(recommendations),
            "assessments": len(assessments), "evidence_tags": len(tags)}


def _tags(mission: Mission, actor, commitments: dict, recommendations: dict) -> list[Tag]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    made: list[Tag] = []

    def add(target, kind, note, **fields):
        key = "commitment" if isinstance(target, Commitment) else "recommendation"
        made.append(Tag(mission=mission, kind=kind, note=note, created_by=user,
                        **{key: target}, **fields))

    submitted = Report.objects.filter(mission=mission).exclude(status=ReportStatus.DRAFT)
    for reference, heading in LTO_TAGS:
        sections = Section.objects.filter(report__in=submitted, heading=heading).order_by(
            "report__period__number", "report__team__code")[:3]
        for section in sections:
            add(commitments[reference], EvidenceKind.LTO_SECTION,
                "Synthetic demo tag.", report_id=section.report_id, heading=heading)
    cases = list(Case.objects.filter(mission=mission).order_by("filed", "pk")[:4])
    for case in cases:
        add(commitments["para 5.10"], EvidenceKind.COMPLAINT, "Synthetic demo tag.", case=case)
    if cases:
        add(recommendations[8], EvidenceKind.COMPLAINT, "Synthetic demo tag.", case=cases[0])
    meetings = list(Meeting.objects.filter(mission=mission, confidential=False).order_by(
        "date", "pk")[:3])
    for meeting, reference in zip(meetings, ["para 7.6", "para 8", "para 9.2"], strict=False):
        add(commitments[reference], EvidenceKind.MEETING, "Synthetic demo tag.",
            meeting=meeting)
    if meetings:
        add(recommendations[2], EvidenceKind.MEETING, "Synthetic demo tag.",
            meeting=meetings[0])
    forms = set(Form.objects.filter(mission=mission).values_list("form_id", flat=True))
    for reference, form_id, name in INDICATOR_TAGS:
        if form_id in forms:
            add(commitments[reference], EvidenceKind.INDICATOR, "Synthetic demo tag.",
                form_id=form_id, indicator=name)
    return Tag.objects.bulk_create(made)
