package leakgen

// This file holds the raw culture data: names, mail domains, phone plans,
// cities, streets and ID shapes of the countries synthetic people come
// from. tables.go turns it into the lookup tables the generator uses.
//
// Name lists are space separated. An entry written "native:Latin" has a
// native script form (Cyrillic, CJK) and a Latin transliteration; other
// entries are their own Latin form. Lists whose entries contain spaces
// (cities, streets) are separated by ';'. City entries are "name|prefix",
// where prefix gives the leading characters of the city's postcodes.
//
// All names, places and numbers are common ones or invented; none
// describes a real person.

// cultureSpec is the raw data of one culture.
type cultureSpec struct {
	code   string // ISO 3166-1 alpha-2 country code
	weight int    // share of people, per mille; the weights sum to 1000
	// nativeShare is the per-mille share of people whose names are written
	// in the native script, for cultures whose entries have one.
	nativeShare int
	// familySep separates family name and given name in native-script
	// full names, which put the family name first (CJK); "-" means the
	// culture writes given name first.
	familySep  string
	translit   string // transliteration scheme for e-mail ASCII: "", "de"
	surnames   string // how female surnames are formed: "", "ru", "pl"
	male       string
	female     string
	last       string
	domains    string // local mail providers; repeats weigh them
	localShare int    // per mille of e-mail addresses at local providers

	phoneCC       string   // country calling code
	phoneMobile   string   // leading digits of mobile numbers
	phoneLen      int      // national significant number length
	phonePatterns []string // 'N' next national digit, 'C' calling code

	cities      string
	postcode    string // 'd' digit, 'l' letter, 'p' city prefix; else the prefix overwrites leading digits
	streets     string
	addrFormats []string // {N} house number, {S} street, {A} flat number, {L} letter
	taxID       string   // pattern ('d','n','l','x') or "@<special>"
	lang        string
}

var cultureSpecs = []cultureSpec{
	{
		code: "US", weight: 230, familySep: "-",
		male:       "James John Robert Michael William David Richard Joseph Thomas Christopher Charles Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kevin Brian George Timothy Ryan Jason Jacob Tyler Brandon Justin Ethan Noah Liam Jose Carlos Luis DeShawn Tyrone Connor",
		female:     "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Ashley Emily Kimberly Michelle Amanda Melissa Stephanie Rebecca Laura Emma Olivia Ava Sophia Madison Brittany Maria Latoya Chloe Hannah",
		last:       "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts O'Brien O'Connor McDonald Kowalski Schmidt",
		domains:    "comcast.net comcast.net verizon.net att.net att.net sbcglobal.net bellsouth.net cox.net charter.net earthlink.net ymail.com rocketmail.com",
		localShare: 150,
		phoneCC:    "1", phoneMobile: "201 202 212 213 305 312 404 415 469 512 602 617 702 713 718 786 818 917 929", phoneLen: 10,
		phonePatterns: []string{"(NNN) NNN-NNNN", "(NNN) NNN-NNNN", "NNN-NNN-NNNN", "NNN-NNN-NNNN", "NNN.NNN.NNNN", "NNNNNNNNNN", "+C NNN NNN NNNN", "+C (NNN) NNN-NNNN", "1-NNN-NNN-NNNN", "+CNNNNNNNNNN"},
		cities:        "New York|100;Los Angeles|900;Chicago|606;Houston|770;Phoenix|850;Philadelphia|191;San Antonio|782;San Diego|921;Dallas|752;Austin|787;Seattle|981;Denver|802;Boston|021;Miami|331;Atlanta|303;Springfield|627",
		postcode:      "ddddd",
		streets:       "Main Street;Oak Street;Maple Avenue;Cedar Lane;Elm Street;Washington Avenue;Park Avenue;Lake Drive;Hillcrest Road;Sunset Boulevard;Pine Street;Church Street;Highland Ave;Mill Road;Jefferson St;Lincoln Way;Martin Luther King Jr Blvd",
		addrFormats:   []string{"{N} {S}", "{N} {S}", "{N} {S}", "{N} {S}", "{N} {S} Apt {A}", "{N} {S}\nApt {A}{L}", "{N} {S}, Suite {A}0", "PO Box {N}{A}"},
		taxID:         "@us", lang: "en-US",
	},
	{
		code: "GB", weight: 70, familySep: "-",
		male:       "Oliver George Harry Jack Jacob Charlie Thomas Oscar William James Alfie Joshua Daniel Samuel Joseph Callum Liam Connor Rhys Gareth Owain Hamish Alistair",
		female:     "Olivia Amelia Isla Ava Emily Jessica Poppy Sophie Grace Lily Chloe Charlotte Megan Holly Rebecca Siobhan Niamh Eilidh Catriona Bethan",
		last:       "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Hughes Edwards O'Neill McKenzie Murphy Campbell Stewart Thomas Lewis",
		domains:    "btinternet.com hotmail.co.uk hotmail.co.uk yahoo.co.uk yahoo.co.uk sky.com talktalk.net virginmedia.com ntlworld.com blueyonder.co.uk",
		localShare: 250,
		phoneCC:    "44", phoneMobile: "7700 7711 7723 7739 7747 7752 7766 7789 7796 7801 7823 7907 7946 7985", phoneLen: 10,
		phonePatterns: []string{"0NNNN NNNNNN", "0NNNN NNNNNN", "0NNNN NNN NNN", "+C NNNN NNNNNN", "+C (0)NNNN NNNNNN", "0NNNNNNNNNN", "+CNNNNNNNNNN", "00C NNNN NNNNNN"},
		cities:        "London|SW;London|E;London|N;Manchester|M;Birmingham|B;Leeds|LS;Glasgow|G;Liverpool|L;Bristol|BS;Sheffield|S;Edinburgh|EH;Cardiff|CF;Leicester|LE;Nottingham|NG;Belfast|BT",
		postcode:      "pd dll",
		streets:       "High Street;Station Road;Church Lane;Victoria Road;Green Lane;Manor Road;Park Road;Queens Road;The Crescent;Kings Road;Mill Lane;Windsor Close",
		addrFormats:   []string{"{N} {S}", "{N} {S}", "{N} {S}", "Flat {A}\n{N} {S}", "Flat {A}, {N} {S}", "{N}{L} {S}"},
		taxID:         "ll dd dd dd x", lang: "en-GB",
	},
	{
		code: "DE", weight: 80, familySep: "-", translit: "de",
		male:       "Lukas Leon Maximilian Felix Paul Jonas Finn Tim Jan Niklas Jürgen Klaus Stefan Andreas Michael Thomas Uwe Dieter Günter Jörg Sören Björn Matthias Tobias",
		female:     "Anna Lena Lea Hannah Sophie Marie Laura Julia Katharina Sabine Ursula Petra Monika Birgit Gisela Anke Franziska Lisa Mia Emma Käthe Bärbel Jördis",
		last:       "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Weiß Jäger Groß Köhler Yılmaz",
		domains:    "web.de web.de web.de gmx.de gmx.de gmx.net t-online.de t-online.de freenet.de arcor.de posteo.de mail.de online.de",
		localShare: 550,
		phoneCC:    "49", phoneMobile: "151 152 157 159 160 162 163 170 171 172 173 174 175 176 177 178 179", phoneLen: 11,
		phonePatterns: []string{"0NNN NNNNNNNN", "0NNN NNNNNNNN", "0NNN/NNNNNNNN", "0NNN-NNNNNNNN", "+C NNN NNNNNNNN", "+C (0)NNN NNNNNNNN", "00CNNNNNNNNNNN", "0NNNNNNNNNNN", "+CNNNNNNNNNNN"},
		cities:        "Berlin|10;Hamburg|20;München|80;Köln|50;Frankfurt am Main|60;Stuttgart|70;Düsseldorf|40;Leipzig|04;Dortmund|44;Essen|45;Bremen|28;Dresden|01;Hannover|30;Nürnberg|90",
		postcode:      "ddddd",
		streets:       "Hauptstraße;Bahnhofstraße;Gartenstraße;Schulstraße;Dorfstraße;Bergstraße;Lindenstraße;Kirchstraße;Am Markt;Goethestraße;Schillerstraße;Friedrichstraße;Mühlenweg;Rosenweg",
		addrFormats:   []string{"{S} {N}", "{S} {N}", "{S} {N}", "{S} {N}{L}", "{S} {N}, {A}. OG"},
		taxID:         "nd ddd ddd ddd", lang: "de-DE",
	},
	{
		code: "FR", weight: 60, familySep: "-",
		male:       "Jean Pierre Michel Philippe Alain Nicolas François Julien Thomas Lucas Hugo Théo Mathéo Louis Gabriel Raphaël Jérôme Sébastien Stéphane Frédéric Cédric Benoît Loïc Anthony Kévin",
		female:     "Marie Nathalie Isabelle Sylvie Catherine Sophie Camille Léa Manon Chloé Emma Inès Jade Louise Zoé Élodie Hélène Cécile Aurélie Mélanie Françoise Geneviève Océane Anaïs Maëlle",
		last:       "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont Lambert Bonnet François Faure Rousseau Blanc Guérin Lefebvre Boyer Chevalier N'Diaye",
		domains:    "orange.fr orange.fr free.fr free.fr laposte.net sfr.fr wanadoo.fr neuf.fr hotmail.fr hotmail.fr yahoo.fr bbox.fr",
		localShare: 450,
		phoneCC:    "33", phoneMobile: "6 7", phoneLen: 9,
		phonePatterns: []string{"0N NN NN NN NN", "0N NN NN NN NN", "0N.NN.NN.NN.NN", "0NNNNNNNNN", "+C N NN NN NN NN", "+CNNNNNNNNN", "+C (0)N NN NN NN NN", "00C N NN NN NN NN", "0N-NN-NN-NN-NN"},
		cities:        "Paris|75;Marseille|13;Lyon|69;Toulouse|31;Nice|06;Nantes|44;Strasbourg|67;Montpellier|34;Bordeaux|33;Lille|59;Rennes|35;Saint-Étienne|42;Le Havre|76;Aix-en-Provence|13",
		postcode:      "ddddd",
		streets:       "rue de la Paix;rue Victor Hugo;avenue des Champs-Élysées;boulevard Saint-Michel;rue de l'Église;place de la République;rue Jean Jaurès;allée des Tilleuls;chemin du Moulin;rue Pasteur;avenue Foch;impasse des Lilas;rue du Général de Gaulle",
		addrFormats:   []string{"{N} {S}", "{N} {S}", "{N} {S}", "{N} bis {S}", "{N}, {S}", "Résidence \"Les Pins\", {N} {S}", "Bât. {L}, {N} {S}\nAppt {A}"},
		taxID:         "@fr", lang: "fr-FR",
	},
	{
		code: "ES", weight: 50, familySep: "-",
		male:       "Antonio José Manuel Francisco David Juan Javier Daniel Carlos Jesús Alejandro Miguel Rafael Pablo Sergio Álvaro Adrián Iñaki Jorge Raúl Rubén Óscar",
		female:     "María Carmen Ana Isabel Laura Cristina Marta Lucía Paula Elena Sara Raquel Pilar Nuria Rocío Begoña Inés Sofía Nerea Ainhoa Mónica Verónica",
		last:       "García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Serrano Blanco Molina Núñez Ibáñez Peña Castaño",
		domains:    "telefonica.net terra.es hotmail.es hotmail.es yahoo.es movistar.es ono.com",
		localShare: 250,
		phoneCC:    "34", phoneMobile: "6 7", phoneLen: 9,
		phonePatterns: []string{"NNN NNN NNN", "NNN NNN NNN", "NNN NN NN NN", "NNNNNNNNN", "+C NNN NNN NNN", "+CNNNNNNNNN", "0034 NNN NNN NNN", "(+C) NNN NN NN NN"},
		cities:        "Madrid|28;Barcelona|08;Valencia|46;Sevilla|41;Zaragoza|50;Málaga|29;Murcia|30;Palma|07;Bilbao|48;Alicante|03;Córdoba|14;Valladolid|47;A Coruña|15",
		postcode:      "ddddd",
		streets:       "Calle Mayor;Calle Real;Avenida de la Constitución;Calle del Sol;Plaza de España;Calle Nueva;Gran Vía;Calle de Alcalá;Paseo de la Castellana;Calle San Juan;Avenida de Andalucía;Carrer de Balmes",
		addrFormats:   []string{"{S} {N}", "{S}, {N}", "{S} {N}, {A}º {L}", "{S}, {N}, {A}º{L}", "{S} {N} - {A}º izq."},
		taxID:         "@es", lang: "es-ES",
	},
	{
		code: "IT", weight: 50, familySep: "-",
		male:       "Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo Franco Domenico Bruno Paolo Michele Giorgio Alessandro Lorenzo Matteo Andrea Niccolò",
		female:     "Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca Chiara Giulia Sofia Alessia Martina Federica Valentina Elena Sara",
		last:       "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De Luca Mancini Costa Giordano Rizzo Lombardi Moretti D'Angelo D'Amico Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola",
		domains:    "libero.it libero.it virgilio.it alice.it tiscali.it tin.it hotmail.it yahoo.it fastwebnet.it",
		localShare: 350,
		phoneCC:    "39", phoneMobile: "320 327 328 329 333 334 335 338 339 340 345 347 348 349 366 380 388 392", phoneLen: 10,
		phonePatterns: []string{"NNN NNN NNNN", "NNN NNN NNNN", "NNN NNNNNNN", "NNN-NNNNNNN", "NNNNNNNNNN", "+C NNN NNN NNNN", "+CNNNNNNNNNN", "0039 NNN NNNNNNN"},
		cities:        "Roma|00;Milano|20;Napoli|80;Torino|10;Palermo|90;Genova|16;Bologna|40;Firenze|50;Bari|70;Catania|95;Venezia|30;Verona|37",
		postcode:      "ddddd",
		streets:       "Via Roma;Via Garibaldi;Via Mazzini;Via Cavour;Via Dante Alighieri;Via Vittorio Emanuele II;Corso Italia;Via Verdi;Piazza della Repubblica;Via dei Mille;Viale Europa;Via dell'Indipendenza",
		addrFormats:   []string{"{S}, {N}", "{S}, {N}", "{S} {N}", "{S} {N}/{L}", "{S}, {N} int. {A}"},
		taxID:         "llllllddlddldddl", lang: "it-IT",
	},
	{
		code: "BR", weight: 70, familySep: "-",
		male:       "João José Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos Luís Gabriel Rafael Daniel Marcelo Bruno Eduardo Felipe Raimundo Rodrigo Thiago Gustavo Matheus Guilherme Vinícius Caio",
		female:     "Maria Ana Francisca Antônia Adriana Juliana Márcia Fernanda Patrícia Aline Sandra Camila Amanda Bruna Jéssica Letícia Júlia Beatriz Larissa Mariana Gabriela Vitória Luana Conceição",
		last:       "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Ribeiro Carvalho Almeida Lopes Soares Fernandes Vieira Barbosa Rocha Dias Nascimento Andrade Moreira Nunes Marques Machado Mendes Freitas Cardoso Ramos Gonçalves Araújo Magalhães Simões",
		domains:    "uol.com.br bol.com.br bol.com.br terra.com.br ig.com.br globo.com hotmail.com.br yahoo.com.br oi.com.br",
		localShare: 300,
		phoneCC:    "55", phoneMobile: "119 119 119 219 219 319 419 519 619 719 819 489 859 919", phoneLen: 11,
		phonePatterns: []string{"(NN) NNNNN-NNNN", "(NN) NNNNN-NNNN", "NN NNNNN-NNNN", "NNNNNNNNNNN", "+C NN NNNNN-NNNN", "+C (NN) NNNNN-NNNN", "+CNNNNNNNNNNN", "(0NN) NNNNN-NNNN"},
		cities:        "São Paulo|01;Rio de Janeiro|20;Brasília|70;Salvador|40;Fortaleza|60;Belo Horizonte|30;Manaus|69;Curitiba|80;Recife|50;Porto Alegre|90;Belém|66;Goiânia|74",
		postcode:      "ddddd-ddd",
		streets:       "Rua das Flores;Avenida Paulista;Rua XV de Novembro;Rua São João;Avenida Brasil;Rua da Consolação;Rua Sete de Setembro;Avenida Atlântica;Rua Augusta;Travessa do Comércio;Rua Dom Pedro II",
		addrFormats:   []string{"{S}, {N}", "{S}, {N}", "{S}, {N} - Apto {A}", "{S}, {N}, apto. {A}{L}", "{S} {N}, casa {A}"},
		taxID:         "@br", lang: "pt-BR",
	},
	{
		code: "RU", weight: 90, nativeShare: 750, familySep: "-", surnames: "ru",
		male:       "Александр:Aleksandr Сергей:Sergey Дмитрий:Dmitry Андрей:Andrey Алексей:Aleksey Максим:Maksim Евгений:Evgeny Иван:Ivan Михаил:Mikhail Артём:Artem Николай:Nikolay Владимир:Vladimir Павел:Pavel Роман:Roman Денис:Denis Игорь:Igor Олег:Oleg Юрий:Yury Виктор:Viktor Никита:Nikita",
		female:     "Елена:Elena Ольга:Olga Наталья:Natalya Татьяна:Tatyana Ирина:Irina Светлана:Svetlana Анна:Anna Мария:Mariya Екатерина:Ekaterina Юлия:Yulia Анастасия:Anastasia Дарья:Darya Марина:Marina Людмила:Lyudmila Ксения:Ksenia Алина:Alina Виктория:Viktoria Полина:Polina",
		last:       "Иванов:Ivanov Смирнов:Smirnov Кузнецов:Kuznetsov Попов:Popov Васильев:Vasilyev Петров:Petrov Соколов:Sokolov Михайлов:Mikhaylov Новиков:Novikov Фёдоров:Fedorov Морозов:Morozov Волков:Volkov Алексеев:Alekseev Лебедев:Lebedev Семёнов:Semenov Егоров:Egorov Павлов:Pavlov Козлов:Kozlov Степанов:Stepanov Николаев:Nikolaev Орлов:Orlov Андреев:Andreev Макаров:Makarov Никитин:Nikitin Захаров:Zakharov",
		domains:    "mail.ru mail.ru mail.ru mail.ru yandex.ru yandex.ru yandex.ru rambler.ru bk.ru list.ru inbox.ru ya.ru",
		localShare: 700,
		phoneCC:    "7", phoneMobile: "900 903 905 909 912 915 916 917 921 925 926 950 960 977 985 999", phoneLen: 10,
		phonePatterns: []string{"8 (NNN) NNN-NN-NN", "8 (NNN) NNN-NN-NN", "+C (NNN) NNN-NN-NN", "+C NNN NNN-NN-NN", "8NNNNNNNNNN", "+CNNNNNNNNNN", "8-NNN-NNN-NN-NN", "+C NNN NNN NN NN"},
		cities:        "Москва|101;Санкт-Петербург|190;Новосибирск|630;Екатеринбург|620;Казань|420;Нижний Новгород|603;Челябинск|454;Самара|443;Омск|644;Ростов-на-Дону|344;Уфа|450;Красноярск|660",
		postcode:      "dddddd",
		streets:       "Ленина;Мира;Советская;Гагарина;Пушкина;Садовая;Центральная;Молодёжная;Лесная;Школьная;Кирова;Октябрьская",
		addrFormats:   []string{"ул. {S}, д. {N}, кв. {A}", "ул. {S}, д. {N}, кв. {A}", "ул. {S}, д. {N}", "ул. {S} {N}-{A}", "пр. {S}, д. {N}, стр. {A}, кв. {A}"},
		taxID:         "nddddddddddd", lang: "ru-RU",
	},
	{
		code: "CN", weight: 60, nativeShare: 700, familySep: "",
		male:       "伟:Wei 强:Qiang 磊:Lei 军:Jun 洋:Yang 勇:Yong 杰:Jie 涛:Tao 明:Ming 超:Chao 浩然:Haoran 宇轩:Yuxuan 子豪:Zihao 志强:Zhiqiang 建华:Jianhua 俊杰:Junjie",
		female:     "芳:Fang 娜:Na 敏:Min 静:Jing 丽:Li 艳:Yan 秀英:Xiuying 婷:Ting 雪:Xue 慧:Hui 梓涵:Zihan 欣怡:Xinyi 诗涵:Shihan 雨涵:Yuhan 佳怡:Jiayi",
		last:       "王:Wang 李:Li 张:Zhang 刘:Liu 陈:Chen 杨:Yang 黄:Huang 赵:Zhao 吴:Wu 周:Zhou 徐:Xu 孙:Sun 马:Ma 朱:Zhu 胡:Hu 郭:Guo 何:He 林:Lin 高:Gao 罗:Luo",
		domains:    "qq.com qq.com qq.com qq.com 163.com 163.com 126.com sina.com sohu.com yeah.net 139.com foxmail.com aliyun.com",
		localShare: 750,
		phoneCC:    "86", phoneMobile: "130 131 132 135 136 137 138 139 150 151 152 158 159 176 177 180 181 186 187 188 189 199", phoneLen: 11,
		phonePatterns: []string{"NNNNNNNNNNN", "NNNNNNNNNNN", "NNN NNNN NNNN", "NNN-NNNN-NNNN", "+C NNN NNNN NNNN", "+CNNNNNNNNNNN", "+C-NNNNNNNNNNN", "0086NNNNNNNNNNN"},
		cities:        "北京|100;上海|200;广州|510;深圳|518;成都|610;杭州|310;武汉|430;西安|710;南京|210;重庆|400;天津|300;苏州|215",
		postcode:      "dddddd",
		streets:       "建国路;人民路;中山路;解放路;长安街;南京路;和平路;光明路;朝阳路;文化路;新华路;淮海路",
		addrFormats:   []string{"{S}{N}号", "{S}{N}号", "{S}{N}号{A}室", "{S}{N}弄{A}号"},
		taxID:         "@cn", lang: "zh-CN",
	},
	{
		code: "IN", weight: 80, familySep: "-",
		male:       "Rahul Amit Rajesh Suresh Ramesh Vijay Sanjay Anil Sunil Arjun Aarav Vivaan Aditya Rohit Vikram Karthik Manoj Deepak Pradeep Harish Mohammed Imran Gurpreet Harpreet",
		female:     "Priya Anjali Pooja Neha Sunita Anita Kavita Deepika Divya Lakshmi Meena Swati Ananya Diya Aadhya Sneha Shreya Nisha Fatima Simran",
		last:       "Sharma Verma Gupta Singh Kumar Patel Shah Reddy Rao Nair Iyer Menon Joshi Mehta Chopra Kapoor Malhotra Agarwal Bansal Das Chatterjee Banerjee Mukherjee Pillai Khan Ali Yadav Mishra Pandey Tiwari",
		domains:    "rediffmail.com rediffmail.com yahoo.co.in yahoo.in sify.com hotmail.co.in",
		localShare: 150,
		phoneCC:    "91", phoneMobile: "70 72 73 74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99", phoneLen: 10,
		phonePatterns: []string{"NNNNNNNNNN", "NNNNNNNNNN", "NNNNN NNNNN", "+C NNNNN NNNNN", "+C-NNNNN-NNNNN", "+CNNNNNNNNNN", "0NNNNNNNNNN", "+C NNNNNNNNNN"},
		cities:        "Mumbai|400;Delhi|110;Bengaluru|560;Hyderabad|500;Ahmedabad|380;Chennai|600;Kolkata|700;Pune|411;Jaipur|302;Lucknow|226;Kochi|682;Chandigarh|160",
		postcode:      "dddddd",
		streets:       "MG Road;Station Road;Gandhi Nagar;Nehru Street;Park Street;Brigade Road;Linking Road;Anna Salai;Sector 15;Civil Lines;Ring Road;Church Street",
		addrFormats:   []string{"{N}, {S}", "{N}, {S}", "Flat {A}{L}, {S}", "H.No. {N}-{A}, {S}", "{N} {S}\nNear Bus Stand", "Plot {N}, {S}, Opp. SBI Bank"},
		taxID:         "lllPlddddl", lang: "hi-IN",
	},
	{
		code: "NO", weight: 20, familySep: "-",
		male:       "Ole Lars Jan Per Bjørn Kjell Knut Arne Svein Hans Geir Tor Jørgen Håkon Øyvind Espen Magnus Sander Jonas Henrik Sindre Ståle Terje Rune Ørjan",
		female:     "Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Solveig Nora Emma Ingeborg Sofie Maja Ida Åse Sigrid Tone Gro Ragnhild Mari",
		last:       "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund Sørensen Strøm Bakke Solberg Kvåle Ødegård Sæther Aasen",
		domains:    "online.no online.no hotmail.no live.no broadpark.no getmail.no frisurf.no",
		localShare: 350,
		phoneCC:    "47", phoneMobile: "4 9", phoneLen: 8,
		phonePatterns: []string{"NNN NN NNN", "NNN NN NNN", "NN NN NN NN", "NNNNNNNN", "+C NNN NN NNN", "+CNNNNNNNN", "0047 NNN NN NNN", "+C NN NN NN NN"},
		cities:        "Oslo|0;Bergen|5;Trondheim|7;Stavanger|40;Drammen|30;Fredrikstad|16;Kristiansand|46;Tromsø|90;Sandnes|43;Ålesund|60;Bodø|80;Lillehammer|26",
		postcode:      "dddd",
		streets:       "Storgata;Kirkeveien;Parkveien;Skolegata;Torggata;Bjørnstjerne Bjørnsons gate;Havnegata;Strandveien;Fjellveien;Løkkeveien;Øvre Slottsgate;Ringveien",
		addrFormats:   []string{"{S} {N}", "{S} {N}", "{S} {N}{L}", "{S} {N}, leil. {A}"},
		taxID:         "@no", lang: "nb-NO",
	},
	{
		code: "PL", weight: 40, familySep: "-", surnames: "pl",
		male:       "Piotr Krzysztof Andrzej Tomasz Paweł Michał Marcin Jakub Adam Łukasz Mateusz Grzegorz Kamil Wojciech Szymon Bartosz Maciej Dawid Sebastian Jarosław",
		female:     "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Krystyna Magdalena Joanna Aleksandra Zofia Monika Natalia Karolina Zuzanna Julia Weronika Dorota Beata",
		last:       "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Michalski Król Wieczorek Jabłoński Wróbel Sadowski",
		domains:    "wp.pl wp.pl o2.pl onet.pl onet.pl interia.pl interia.pl gazeta.pl op.pl tlen.pl poczta.fm",
		localShare: 550,
		phoneCC:    "48", phoneMobile: "50 51 53 57 60 66 69 72 73 78 79 88", phoneLen: 9,
		phonePatterns: []string{"NNN NNN NNN", "NNN NNN NNN", "NNN-NNN-NNN", "NNNNNNNNN", "+C NNN NNN NNN", "+CNNNNNNNNN", "0048 NNN NNN NNN", "(+C) NNN-NNN-NNN"},
		cities:        "Warszawa|00;Kraków|30;Łódź|90;Wrocław|50;Poznań|60;Gdańsk|80;Szczecin|70;Bydgoszcz|85;Lublin|20;Katowice|40;Białystok|15;Gdynia|81",
		postcode:      "dd-ddd",
		streets:       "Marszałkowska;Długa;Polna;Leśna;Słoneczna;Krótka;Szkolna;Ogrodowa;Lipowa;Mickiewicza;Kościuszki;Piłsudskiego",
		addrFormats:   []string{"ul. {S} {N}", "ul. {S} {N}/{A}", "ul. {S} {N}/{A}", "ul. {S} {N} m. {A}", "al. {S} {N}{L}/{A}"},
		taxID:         "@pl", lang: "pl-PL",
	},
	{
		code: "TR", weight: 40, familySep: "-",
		male:       "Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Ömer Ramazan Halil Süleyman Abdullah Emre Burak Yiğit Çağlar Oğuz Serkan Kerem Arda",
		female:     "Fatma Ayşe Emine Hatice Zeynep Elif Meryem Şerife Zehra Sultan Hanife Merve Büşra Özlem Gül Derya Esra Selin Ebru Tuğba Ceren İrem Yağmur",
		last:       "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Güneş Aktaş Erdem",
		domains:    "hotmail.com.tr mynet.com mynet.com yandex.com.tr superonline.com ttmail.com windowslive.com",
		localShare: 200,
		phoneCC:    "90", phoneMobile: "501 505 506 507 530 532 533 535 536 537 538 539 541 542 543 544 545 546 551 552 553 554 555 559", phoneLen: 10,
		phonePatterns: []string{"0NNN NNN NN NN", "0NNN NNN NN NN", "0 (NNN) NNN NN NN", "0NNNNNNNNNN", "+C NNN NNN NN NN", "+CNNNNNNNNNN", "NNNNNNNNNN", "0NNN-NNN-NNNN"},
		cities:        "İstanbul|34;Ankara|06;İzmir|35;Bursa|16;Antalya|07;Adana|01;Konya|42;Gaziantep|27;Mersin|33;Kayseri|38;Eskişehir|26;Trabzon|61",
		postcode:      "ddddd",
		streets:       "Atatürk Caddesi;Cumhuriyet Caddesi;İstiklal Caddesi;Bağdat Caddesi;Gazi Mustafa Kemal Bulvarı;Fevzi Çakmak Sokak;Okul Sokak;Çiçek Sokak;Menekşe Sokak;Barış Sokak",
		addrFormats:   []string{"{S} No:{N} D:{A}", "{S} No:{N} D:{A}", "{S} No: {N}/{A}", "Yeni Mah. {S} No:{N} Kat:{A}"},
		taxID:         "ndddddddddd", lang: "tr-TR",
	},
	{
		code: "JP", weight: 30, nativeShare: 600, familySep: " ",
		male:       "翔太:Shota 大輝:Daiki 拓海:Takumi 健太:Kenta 翔:Sho 蓮:Ren 悠真:Yuma 大翔:Hiroto 陽翔:Haruto 誠:Makoto 浩:Hiroshi 隆:Takashi 健一:Kenichi 直樹:Naoki",
		female:     "陽菜:Hina 結衣:Yui 美咲:Misaki さくら:Sakura 葵:Aoi 優奈:Yuna 愛:Ai 花子:Hanako 恵子:Keiko 由美:Yumi 真由美:Mayumi 彩:Aya 奈々:Nana 美穂:Miho",
		last:       "佐藤:Sato 鈴木:Suzuki 高橋:Takahashi 田中:Tanaka 伊藤:Ito 渡辺:Watanabe 山本:Yamamoto 中村:Nakamura 小林:Kobayashi 加藤:Kato 吉田:Yoshida 山田:Yamada 佐々木:Sasaki 山口:Yamaguchi 松本:Matsumoto 井上:Inoue 木村:Kimura 林:Hayashi 清水:Shimizu 斎藤:Saito",
		domains:    "yahoo.co.jp yahoo.co.jp yahoo.co.jp docomo.ne.jp ezweb.ne.jp softbank.ne.jp i.softbank.jp nifty.com biglobe.ne.jp ocn.ne.jp",
		localShare: 500,
		phoneCC:    "81", phoneMobile: "90 80 70", phoneLen: 10,
		phonePatterns: []string{"0NN-NNNN-NNNN", "0NN-NNNN-NNNN", "0NNNNNNNNNN", "+C NN-NNNN-NNNN", "+C NN NNNN NNNN", "+CNNNNNNNNNN", "0NN NNNN NNNN", "(0NN)NNNN-NNNN"},
		cities:        "東京都千代田区|100;東京都新宿区|160;横浜市|220;大阪市|530;名古屋市|450;札幌市|060;福岡市|810;神戸市|650;京都市|600;川崎市|210;さいたま市|330;広島市|730",
		postcode:      "ddd-dddd",
		streets:       "丸の内;西新宿;栄;梅田;天神;大通西;中央;本町;緑町;桜台",
		addrFormats:   []string{"{S}{A}丁目{N}-{A}", "{S}{A}丁目{N}-{A}", "{S}{A}丁目{A}-{A} {S}ハイツ{A}号室"},
		taxID:         "dddd dddd dddd", lang: "ja-JP",
	},
	{
		code: "NG", weight: 30, familySep: "-",
		male:       "Chinedu Emeka Oluwaseun Adebayo Tunde Ibrahim Musa Abubakar Chukwuemeka Obinna Babatunde Segun Yusuf Femi Kelechi Ifeanyi Uchenna Nnamdi Ahmed Samuel David Daniel",
		female:     "Ngozi Chioma Amaka Funmilayo Adaeze Aisha Fatima Blessing Grace Chiamaka Folake Yetunde Zainab Nkechi Halima Precious Esther Joy Bisola Temitope",
		last:       "Okafor Okonkwo Adeyemi Ogunleye Eze Nwosu Bello Abubakar Ibrahim Mohammed Olawale Adebayo Afolabi Balogun Chukwu Ojo Obi Onyekachi Uche Nnadi Danjuma Okeke Adeleke Akinwale Ogbu",
		domains:    "yahoo.com yahoo.com yahoo.com ymail.com",
		localShare: 250,
		phoneCC:    "234", phoneMobile: "803 806 813 816 703 706 802 808 812 701 705 805 807 815 809 817 818 909 908 902", phoneLen: 10,
		phonePatterns: []string{"0NNN NNN NNNN", "0NNNNNNNNNN", "0NNNNNNNNNN", "+C NNN NNN NNNN", "+CNNNNNNNNNN", "+C (0) NNN NNN NNNN", "0NNN-NNN-NNNN", "00C NNN NNN NNNN"},
		cities:        "Lagos|100;Ikeja|100;Abuja|900;Kano|700;Ibadan|200;Port Harcourt|500;Benin City|300;Kaduna|800;Enugu|400;Onitsha|434",
		postcode:      "dddddd",
		streets:       "Allen Avenue;Awolowo Road;Adeola Odeku Street;Herbert Macaulay Way;Ahmadu Bello Way;Aminu Kano Crescent;Ogui Road;Aba Road;Ring Road;Opebi Road",
		addrFormats:   []string{"{N} {S}", "{N} {S}", "No. {N}, {S}", "Plot {N}, {S}", "{N}{L} {S}, off {S}"},
		taxID:         "nnddddddddd", lang: "en-NG",
	},
}

// globalDomains are the international mail providers, repeated by weight
// (100 entries).
const globalDomains = "gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com " +
	"gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com " +
	"gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com " +
	"gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com gmail.com " +
	"gmail.com gmail.com gmail.com gmail.com " +
	"yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com yahoo.com " +
	"hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com hotmail.com " +
	"outlook.com outlook.com outlook.com outlook.com outlook.com outlook.com outlook.com " +
	"icloud.com icloud.com icloud.com icloud.com aol.com aol.com aol.com live.com live.com live.com msn.com msn.com " +
	"protonmail.com protonmail.com gmx.com mail.com mail.com yandex.com zoho.com me.com me.com ymail.com googlemail.com"

// corporateDomains are invented companies and reserved example domains.
const corporateDomains = "contoso.com northwind-traders.com initech.com globex-corp.com umbrella-pharma.com hooli.xyz " +
	"wayne-enterprises.com stark-industries.com acme-corp.com cyberdyne-systems.com tyrell-corp.com soylent.co " +
	"vandelay-industries.com dunder-mifflin.com wonka-industries.com oceanic-airlines.com example.com example.org " +
	"example.net student.example.edu mail.example.gov.uk"

// tailSyllables and tailTLDs make up the long tail of generated domains.
const (
	tailSyllables = "bri ka lo mar ten vi so ra ne tu po li za fer gan dor mel qui shan tor vex ly ro sta na ber fin gol har jen kor lam mon nor pal rin sel tam ur vol win yar zen ash bel cor dal"
	tailTLDs      = "com com com com com com net net org de co.uk fr ru io info biz nl it es pl com.br in co ca"
)

// nicknames are words people build usernames and e-mail local parts from.
const nicknames = "darkangel shadow sniper dragon ninja gamer killer angel princess sweety cutie lover rocker " +
	"skater hunter wolf tiger phoenix ghost storm blaze frost viper cobra falcon eagle panda kitty bunny " +
	"sunny lucky happy crazy mad dark silent lonely mystic cyber pixel retro neo alpha omega xtreme " +
	"babygirl cowboy pirate wizard knight samurai ronin toxic venom nova star moon"

// shortNames are nicknames used in quoted full names: Robert "Bob" Smith.
const shortNames = "Bob Bobby Jim Mike Tom Kate Liz Sam Alex Chris Danny Jenny Max Bill Sasha Nico Gigi Manu"

// websiteSpec is a popular service and the path of its login page.
type websiteSpec struct{ host, path string }

// popularSites are the services most often found in infostealer logs.
var popularSites = []websiteSpec{
	{"accounts.google.com", "/signin/v2/identifier"}, {"accounts.google.com", "/ServiceLogin"},
	{"www.facebook.com", "/login.php"}, {"m.facebook.com", "/login/"}, {"www.netflix.com", "/login"},
	{"netflix.com", "/"}, {"discord.com", "/login"}, {"www.instagram.com", "/accounts/login/"},
	{"login.live.com", "/login.srf"}, {"www.roblox.com", "/login"}, {"steamcommunity.com", "/login/home/"},
	{"store.steampowered.com", "/login/"}, {"www.paypal.com", "/signin"}, {"www.amazon.com", "/ap/signin"},
	{"twitter.com", "/i/flow/login"}, {"x.com", "/i/flow/login"}, {"github.com", "/login"},
	{"www.linkedin.com", "/login"}, {"store.epicgames.com", "/login"}, {"accounts.spotify.com", "/en/login"},
	{"www.twitch.tv", "/login"}, {"signin.ebay.com", "/ws/eBayISAPI.dll"}, {"vk.com", "/login"},
	{"ok.ru", "/"}, {"www.tiktok.com", "/login"}, {"login.yahoo.com", "/"}, {"auth.riotgames.com", "/login"},
	{"www.crunchyroll.com", "/login"}, {"id.atlassian.com", "/login"}, {"accounts.binance.com", "/en/login"},
	{"account.mail.ru", "/login"}, {"passport.yandex.ru", "/auth"}, {"www.reddit.com", "/login/"},
	{"outlook.live.com", "/owa/"}, {"www.dropbox.com", "/login"}, {"appleid.apple.com", "/sign-in"},
	{"www.ubisoft.com", "/en-us/login"}, {"account.battle.net", "/login/en/"}, {"www.origin.com", "/login"},
	{"www.canva.com", "/login"}, {"www.coinbase.com", "/signin"}, {"web.telegram.org", "/"},
}

// androidApps are package names of apps whose credentials stealers read on
// Android devices.
const androidApps = "com.instagram.android com.facebook.katana com.facebook.orca com.netflix.mediaclient com.discord " +
	"com.roblox.client com.spotify.music com.twitter.android com.zhiliaoapp.musically com.snapchat.android " +
	"com.amazon.mshop.android.shopping com.paypal.android.p2pmobile com.example.app org.telegram.messenger " +
	"com.vkontakte.android com.epicgames.fortnite com.supercell.clashofclans com.linkedin.android"

// siteSubdomains and sitePaths dress up generated hosts.
const (
	siteSubdomains = "www www www login portal mail shop my account secure webmail admin cpanel app"
	sitePaths      = "/login /login /signin /wp-login.php /wp-login.php /admin /user/login /account/login " +
		"/auth/login /index.php /members /customer/account/login/ /users/sign_in /administrator/index.php " +
		"/login.php /forum/login.php /account/login?returnUrl=%2F /session/new /"
	sitePorts = "8080 8443 2083 2087 10000 8000 8888 3000 9090 2096"
)

// Browser and application labels of infostealer families.
const (
	redlineApps = "Google_[Chrome]_Default;Google_[Chrome]_Profile 1;Google_[Chrome]_Default;Microsoft_[Edge]_Default;" +
		"Mozilla_[Firefox]_k3x9qd2l.default-release;Opera_[Opera GX]_Default;Brave_[Brave]_Default;" +
		"Yandex_[YandexBrowser]_Default;Opera_[Opera]_Default"
	softNames = "Google Chrome (Default);Google Chrome (Profile 1);Google Chrome (Default);Microsoft Edge (Default);" +
		"Mozilla Firefox;Opera GX;Opera;Brave;Chromium;Yandex Browser;Vivaldi"
	browserNames = "Chrome (Default);Chrome (Profile 2);Edge (Default);Edge (Profile 1);Firefox;Opera GX Stable;Brave (Default)"
	osNames      = "Windows 10 Pro x64;Windows 10 Home x64;Windows 11 Pro x64;Windows 11 Home x64;Windows 7 Ultimate x64;Windows 10 Enterprise x64"
)
