BEGIN TRANSACTION;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_sqlite_migrations" VALUES(1,'cardscan','0001_tables','2026-12-07 11:17:41.344672+00:00');
INSERT INTO "_sqlite_migrations" VALUES(2,'cardscan','0002_search_sync','2026-12-07 11:17:41.387714+00:00');
INSERT INTO "_sqlite_migrations" VALUES(3,'cardscan','0003_session_epoch_and_reason_due','2026-12-07 11:17:41.388596+00:00');
INSERT INTO "_sqlite_migrations" VALUES(4,'cardscan','0004_contacts_triaged','2026-12-07 11:17:41.389314+00:00');
CREATE TABLE api_tokens (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            label text not null,
            token_sha256 text not null unique,  -- the token itself is shown once, never stored
            created text not null,
            last_used text,
            revoked text
        );
INSERT INTO "api_tokens" VALUES(1,1,'scanner','1dc129f8f4cb3d2f0c7411cac017471167e8ae84bdd256dfdb5b818ff49f162a','2026-12-07T11:17:42.227304+00:00',NULL,NULL);
CREATE TABLE cards (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            event_id integer references events(id) on delete set null,
            status text not null default 'queued'
                check (status in ('queued', 'reading', 'done', 'failed')),
            front_photo text not null,          -- sha256 of the photo in photos/<2>/<sha256>.jpg
            back_photo text,
            client_uuid text,                   -- the uploader's id for this capture (idempotency)
            contact_id integer references contacts(id) on delete set null,
            engine text,
            tries integer not null default 0,
            error text,
            claimed_by text,                    -- host:pid:worker reading it now
            claimed_at text,
            read_seconds real,
            ocr_json text,                      -- [{"card_index", "ocr", "qr"}], words with boxes
            triaged integer not null default 0,
            created text not null,
            updated text not null,
            unique (user_id, client_uuid),
            unique (user_id, front_photo)
        );
INSERT INTO "cards" VALUES(1,1,1,'done','a15fbe1dfa2f606185481cdc6eef745bd661605746eaec8173ce1964f1530432',NULL,'file:a15fbe1dfa2f606185481cdc6eef745bd661605746eaec8173ce1964f1530432',1,'rapidocr',1,NULL,NULL,'2026-12-07T11:17:42.428583+00:00',7.084,'[{"box":[310,68,388,638],"card_index":0,"detection":"quad","ocr":{"engine":"rapidocr","height":331,"lines":[{"box":[35,34,358,32],"confidence":0.9838,"text":"Quantiqzen Consultoria S.A.","words":[{"box":[44,22,140,55],"confidence":0.9996,"text":"Quantiqzen"},{"box":[195,22,146,56],"confidence":1.0,"text":"Consultoria"},{"box":[344,30,52,39],"confidence":1.0,"text":"S.A."}]},{"box":[37,56,145,26],"confidence":0.9794,"text":"Desde 1987 ao seu lado","words":[{"box":[38,54,39,30],"confidence":0.9999,"text":"Desde"},{"box":[80,54,31,29],"confidence":0.9999,"text":"1987"},{"box":[108,56,19,26],"confidence":0.9997,"text":"ao"},{"box":[125,55,23,29],"confidence":1.0,"text":"seu"},{"box":[148,55,32,29],"confidence":0.9999,"text":"lado"}]},{"box":[34,94,397,41],"confidence":0.9893,"text":"Vítor Gonçalves Brandão","words":[{"box":[41,87,84,54],"confidence":1.0,"text":"Vítor"},{"box":[132,82,155,66],"confidence":0.9574,"text":"Gonçalves"},{"box":[297,84,129,63],"confidence":1.0,"text":"Brandão"}]},{"box":[34,126,220,30],"confidence":0.9996,"text":"Engenheiro de Software","words":[{"box":[39,117,99,46],"confidence":0.9999,"text":"Engenheiro"},{"box":[143,125,25,32],"confidence":1.0,"text":"de"},{"box":[167,121,82,43],"confidence":1.0,"text":"Software"}]},{"box":[37,154,128,26],"confidence":0.9958,"text":"T: 21 790 7902","words":[{"box":[41,153,21,28],"confidence":0.9996,"text":"T:"},{"box":[63,152,21,29],"confidence":0.9998,"text":"21"},{"box":[84,151,34,32],"confidence":0.9571,"text":"790"},{"box":[118,151,43,33],"confidence":1.0,"text":"7902"}]},{"box":[378,154,239,30],"confidence":0.9867,"text":"Avenida da Liberdade 122, 1.º Esq.","words":[{"box":[381,154,55,34],"confidence":0.9993,"text":"Avenida"},{"box":[436,157,22,28],"confidence":0.9998,"text":"da"},{"box":[457,152,72,35],"confidence":0.9931,"text":"Liberdade"},{"box":[528,154,35,30],"confidence":0.9987,"text":"122,"},{"box":[558,154,25,28],"confidence":0.9903,"text":"1.º"},{"box":[583,153,34,29],"confidence":0.9991,"text":"Esq."}]},{"box":[34,171,194,30],"confidence":0.9988,"text":"Tlm. +351 913 191 099","words":[{"box":[39,167,42,36],"confidence":0.9996,"text":"Tlm."},{"box":[82,168,43,37],"confidence":0.9963,"text":"+351"},{"box":[125,170,32,33],"confidence":0.9999,"text":"913"},{"box":[159,171,33,33],"confidence":0.9999,"text":"191"},{"box":[192,170,33,34],"confidence":0.9822,"text":"099"}]},{"box":[379,173,120,23],"confidence":0.9938,"text":"1100-950 Lisboa","words":[{"box":[378,168,68,33],"confidence":0.9973,"text":"1100-950"},{"box":[445,170,49,31],"confidence":0.9999,"text":"Lisboa"}]},{"box":[33,189,192,34],"confidence":0.9994,"text":"E: vitor@quantiqzen.pt","words":[{"box":[40,187,24,34],"confidence":0.9987,"text":"E:"},{"box":[59,176,165,63],"confidence":0.9986,"text":"vitor@quantiqzen.pt"}]},{"box":[34,209,185,32],"confidence":0.9989,"text":"geral@quantiqzen.pt","words":[{"box":[41,195,165,63],"confidence":0.9988,"text":"geral@quantiqzen.pt"}]},{"box":[378,204,108,24],"confidence":0.9995,"text":"NIPC 520416405","words":[{"box":[380,205,33,26],"confidence":1.0,"text":"NIPC"},{"box":[412,200,72,31],"confidence":0.9999,"text":"520416405"}]},{"box":[379,190,69,21],"confidence":0.9975,"text":"Portugal","words":[{"box":[382,186,61,31],"confidence":0.9798,"text":"Portugal"}]},{"box":[35,226,197,33],"confidence":0.998,"text":"W: https://quantiqzen.pt","words":[{"box":[41,225,24,35],"confidence":0.9998,"text":"W:"},{"box":[66,213,166,64],"confidence":0.9994,"text":"https://quantiqzen.pt"}]}],"width":640},"outline":{"card":[640,331],"photo":[1000,750],"quad":[[310.6,705.4],[370.8,68.5],[697.7,120.0],[641.0,698.3]],"rotation":90},"qr":[],"seconds":7.084}]',1,'2026-12-07T11:17:42.312329+00:00','2026-12-07T11:18:10.957465+00:00');
INSERT INTO "cards" VALUES(2,1,1,'done','11a9e38735a0fac75358d4dc0ccbc2a0372bc2fb9901c3207ef0eb52a34e9c5c',NULL,'file:11a9e38735a0fac75358d4dc0ccbc2a0372bc2fb9901c3207ef0eb52a34e9c5c',2,'rapidocr',1,NULL,NULL,'2026-12-07T11:17:53.039882+00:00',6.055,'[{"box":[154,178,657,419],"card_index":0,"detection":"quad","ocr":{"engine":"rapidocr","height":380,"lines":[{"box":[28,31,256,35],"confidence":0.9999,"text":"Raal Systeme GmbH","words":[{"box":[30,24,64,48],"confidence":1.0,"text":"Raal"},{"box":[94,20,106,57],"confidence":1.0,"text":"Systeme"},{"box":[204,25,74,48],"confidence":1.0,"text":"GmbH"}]},{"box":[336,34,118,23],"confidence":0.9997,"text":"040 603325-4","words":[{"box":[342,31,33,30],"confidence":1.0,"text":"040"},{"box":[376,26,78,41],"confidence":1.0,"text":"603325-4"}]},{"box":[30,63,120,24],"confidence":0.9967,"text":"Qualität, die bewegt","words":[{"box":[34,57,52,35],"confidence":0.9993,"text":"Qualität,"},{"box":[84,60,23,27],"confidence":0.9998,"text":"die"},{"box":[104,58,48,32],"confidence":0.9998,"text":"bewegt"}]},{"box":[315,54,144,26],"confidence":0.9971,"text":"0170 5974937","words":[{"box":[341,50,43,34],"confidence":1.0,"text":"0170"},{"box":[385,47,73,41],"confidence":0.9994,"text":"5974937"}]},{"box":[336,78,165,25],"confidence":0.9988,"text":"+49 30 5751737-05","words":[{"box":[340,74,41,34],"confidence":0.9916,"text":"+49"},{"box":[376,75,29,31],"confidence":1.0,"text":"30"},{"box":[404,67,97,46],"confidence":1.0,"text":"5751737-05"}]},{"box":[338,102,141,26],"confidence":0.9999,"text":"gbacker@raal.de","words":[{"box":[344,86,134,54],"confidence":0.9996,"text":"gbacker@raal.de"}]},{"box":[337,123,107,26],"confidence":0.9999,"text":"www.raal.de","words":[{"box":[343,112,102,48],"confidence":1.0,"text":"www.raal.de"}]},{"box":[334,146,228,26],"confidence":1.0,"text":"linkedin.com/in/gotz-backer","words":[{"box":[337,121,226,73],"confidence":1.0,"text":"linkedin.com/in/gotz-backer"}]},{"box":[313,175,148,26],"confidence":0.9993,"text":"Friedrichstraße 203","words":[{"box":[316,163,115,49],"confidence":0.9999,"text":"Friedrichstraße"},{"box":[430,172,29,30],"confidence":1.0,"text":"203"}]},{"box":[28,186,213,40],"confidence":0.9975,"text":"Götz Bäcker","words":[{"box":[38,179,76,50],"confidence":0.9997,"text":"Götz"},{"box":[120,176,118,58],"confidence":0.9983,"text":"Bäcker"}]},{"box":[314,195,87,23],"confidence":0.9988,"text":"50595 Köln","words":[{"box":[317,191,46,31],"confidence":1.0,"text":"50595"},{"box":[364,192,34,28],"confidence":1.0,"text":"Köln"}]},{"box":[314,215,94,22],"confidence":1.0,"text":"Deutschland","words":[{"box":[320,207,89,38],"confidence":0.9998,"text":"Deutschland"}]},{"box":[29,224,135,28],"confidence":0.9999,"text":"Leiter Vertrieb","words":[{"box":[33,220,56,36],"confidence":1.0,"text":"Leiter"},{"box":[93,219,66,38],"confidence":1.0,"text":"Vertrieb"}]},{"box":[314,235,224,22],"confidence":0.9677,"text":"USt-IdNr. DE392530831· HRB 54477","words":[{"box":[315,230,62,32],"confidence":0.9999,"text":"USt-IdNr."},{"box":[376,226,93,39],"confidence":0.9999,"text":"DE392530831·"},{"box":[467,233,28,27],"confidence":1.0,"text":"HRB"},{"box":[495,231,41,29],"confidence":0.9996,"text":"54477"}]}],"width":620},"outline":{"card":[620,380],"photo":[1000,750],"quad":[[154.4,256.0],[762.2,178.7],[810.3,556.0],[191.3,597.0]],"rotation":0},"qr":[],"seconds":6.055}]',0,'2026-12-07T11:17:42.355155+00:00','2026-12-07T11:17:59.110846+00:00');
INSERT INTO "cards" VALUES(3,1,1,'done','686b33600cab6f0e4dd6da9a565be36c6996266620914530914512e46147ea1e',NULL,'file:686b33600cab6f0e4dd6da9a565be36c6996266620914530914512e46147ea1e',3,'rapidocr',1,NULL,NULL,'2026-12-07T11:17:59.134042+00:00',4.835,'[{"box":[170,0,545,657],"card_index":0,"detection":"text","ocr":{"engine":"rapidocr","height":535,"lines":[{"box":[78,73,86,33],"confidence":0.9991,"text":"albilo","words":[{"box":[114,73,45,32],"confidence":0.9991,"text":"albilo"}]},{"box":[488,73,86,26],"confidence":0.9687,"text":"Alijd een stap verder","words":[{"box":[490,78,22,21],"confidence":0.9998,"text":"Alijd"},{"box":[513,77,15,21],"confidence":0.7091,"text":"een"},{"box":[529,76,16,21],"confidence":0.9647,"text":"stap"},{"box":[549,73,24,22],"confidence":0.7157,"text":"verder"}]},{"box":[76,105,104,21],"confidence":0.9993,"text":"Albilo Logistiek N.V.","words":[{"box":[81,106,30,20],"confidence":0.9997,"text":"Albilo"},{"box":[111,105,43,21],"confidence":0.9999,"text":"Logistiek"},{"box":[157,106,22,20],"confidence":1.0,"text":"N.V."}]},{"box":[76,191,157,43],"confidence":0.9958,"text":"Thijs Smit","words":[{"box":[85,192,70,42],"confidence":0.9999,"text":"Thijs"},{"box":[166,191,63,42],"confidence":1.0,"text":"Smit"}]},{"box":[77,228,103,28],"confidence":1.0,"text":"Projectleider","words":[{"box":[84,228,93,28],"confidence":0.9997,"text":"Projectleider"}]},{"box":[374,357,160,44],"confidence":0.9973,"text":"M +31 (0)6 07 38 86 59","words":[{"box":[380,373,11,29],"confidence":0.9995,"text":"M"},{"box":[399,370,24,30],"confidence":0.9866,"text":"+31"},{"box":[426,366,30,31],"confidence":0.9997,"text":"(0)6"},{"box":[454,364,20,30],"confidence":1.0,"text":"07"},{"box":[472,362,22,31],"confidence":0.9999,"text":"38"},{"box":[491,359,22,31],"confidence":0.9903,"text":"86"},{"box":[511,358,21,30],"confidence":0.9998,"text":"59"}]},{"box":[73,412,126,30],"confidence":0.9993,"text":"3670 CS Rotterdam","words":[{"box":[78,417,33,26],"confidence":1.0,"text":"3670"},{"box":[115,416,17,26],"confidence":1.0,"text":"CS"},{"box":[131,413,60,29],"confidence":1.0,"text":"Rotterdam"}]},{"box":[75,398,112,26],"confidence":0.9989,"text":"Stationsplein 203","words":[{"box":[80,401,77,24],"confidence":0.9999,"text":"Stationsplein"},{"box":[161,399,21,21],"confidence":1.0,"text":"203"}]},{"box":[376,379,150,42],"confidence":0.9919,"text":"Email t.smit@albilo.nl","words":[{"box":[383,390,42,31],"confidence":0.9989,"text":"Email"},{"box":[423,379,102,37],"confidence":0.9999,"text":"t.smit@albilo.nl"}]},{"box":[378,400,132,40],"confidence":0.9909,"text":"Web: www.albilo.nl","words":[{"box":[385,409,39,31],"confidence":0.9998,"text":"Web:"},{"box":[422,400,88,36],"confidence":0.9999,"text":"www.albilo.nl"}]},{"box":[76,436,80,24],"confidence":0.9952,"text":"KvK 71020899","words":[{"box":[81,438,22,21],"confidence":0.9988,"text":"KvK"},{"box":[105,436,52,24],"confidence":0.9581,"text":"71020899"}]}],"width":649},"outline":{"card":[649,535],"photo":[1000,750],"quad":[[714.1,7.1],[706.1,656.2],[171.0,649.6],[178.9,0.6]],"rotation":270},"qr":[],"seconds":4.835}]',0,'2026-12-07T11:17:42.387156+00:00','2026-12-07T11:18:03.974096+00:00');
INSERT INTO "cards" VALUES(4,2,3,'done','8e596cce785dcf1f4bf640104e7cea7286ad555467dd9901dbfa96a7c492b71b',NULL,'file:8e596cce785dcf1f4bf640104e7cea7286ad555467dd9901dbfa96a7c492b71b',4,'rapidocr',1,NULL,NULL,'2026-12-07T11:18:04.132901+00:00',6.593,'[{"box":[185,184,603,416],"card_index":0,"detection":"quad","ocr":{"engine":"rapidocr","height":344,"lines":[{"box":[158,27,238,29],"confidence":0.9999,"text":"Orva Ingénierie SARL","words":[{"box":[163,20,52,41],"confidence":0.9995,"text":"Orva"},{"box":[215,12,117,57],"confidence":1.0,"text":"Ingénierie"},{"box":[331,19,62,44],"confidence":1.0,"text":"SARL"}]},{"box":[142,67,270,42],"confidence":0.9999,"text":"François Giraud","words":[{"box":[144,49,148,78],"confidence":0.9999,"text":"François"},{"box":[296,52,118,71],"confidence":1.0,"text":"Giraud"}]},{"box":[145,105,262,27],"confidence":0.9834,"text":"DIRECTEUR DES OPÉRATIONS","words":[{"box":[150,92,101,52],"confidence":1.0,"text":"DIRECTEUR"},{"box":[254,100,40,36],"confidence":0.9999,"text":"DES"},{"box":[294,90,114,55],"confidence":1.0,"text":"OPÉRATIONS"}]},{"box":[201,128,150,25],"confidence":0.9847,"text":"EUROPE DU SUD","words":[{"box":[205,119,76,44],"confidence":0.9999,"text":"EUROPE"},{"box":[278,125,32,33],"confidence":0.9997,"text":"DU"},{"box":[309,123,39,36],"confidence":1.0,"text":"SUD"}]},{"box":[23,171,508,24],"confidence":0.961,"text":"T. +33 (0)4 02 12 51 19 | Portable 06 31 89 65 33 | Fax : 01 79 45 30 13","words":[{"box":[24,169,22,27],"confidence":0.9999,"text":"T."},{"box":[43,167,29,29],"confidence":0.9964,"text":"+33"},{"box":[69,166,37,31],"confidence":0.9204,"text":"(0)4"},{"box":[104,168,21,27],"confidence":0.9993,"text":"02"},{"box":[127,168,21,27],"confidence":1.0,"text":"12"},{"box":[145,168,21,28],"confidence":1.0,"text":"51"},{"box":[168,168,21,27],"confidence":0.9691,"text":"19"},{"box":[191,169,14,25],"confidence":0.9998,"text":"|"},{"box":[206,162,61,39],"confidence":1.0,"text":"Portable"},{"box":[265,169,20,27],"confidence":0.9997,"text":"06"},{"box":[287,169,21,28],"confidence":1.0,"text":"31"},{"box":[306,168,22,28],"confidence":0.9443,"text":"89"},{"box":[329,169,22,28],"confidence":1.0,"text":"65"},{"box":[349,168,22,28],"confidence":1.0,"text":"33"},{"box":[372,170,15,26],"confidence":0.9807,"text":"|"},{"box":[388,168,26,29],"confidence":1.0,"text":"Fax"},{"box":[410,169,15,26],"confidence":1.0,"text":":"},{"box":[422,169,22,28],"confidence":0.893,"text":"01"},{"box":[442,168,22,28],"confidence":1.0,"text":"79"},{"box":[465,169,22,28],"confidence":1.0,"text":"45"},{"box":[485,168,23,28],"confidence":0.9766,"text":"30"},{"box":[509,169,23,28],"confidence":1.0,"text":"13"}]},{"box":[212,190,129,25],"confidence":0.9999,"text":"f.giraud@orva.fr","words":[{"box":[214,173,128,58],"confidence":1.0,"text":"f.giraud@orva.fr"}]},{"box":[236,210,81,25],"confidence":0.9962,"text":"W: orva.fr","words":[{"box":[238,207,30,32],"confidence":0.9995,"text":"W:"},{"box":[263,203,57,39],"confidence":0.9996,"text":"orva.fr"}]},{"box":[141,233,272,22],"confidence":0.9812,"text":"90 avenue Jean Jaurès, 69055 Lyon, France","words":[{"box":[142,231,21,26],"confidence":1.0,"text":"90"},{"box":[163,227,49,34],"confidence":1.0,"text":"avenue"},{"box":[211,230,30,29],"confidence":0.9981,"text":"Jean"},{"box":[239,226,54,36],"confidence":1.0,"text":"Jaurès,"},{"box":[286,227,48,35],"confidence":1.0,"text":"69055"},{"box":[328,228,44,34],"confidence":1.0,"text":"Lyon,"},{"box":[365,227,49,36],"confidence":1.0,"text":"France"}]},{"box":[206,248,142,22],"confidence":0.9936,"text":"SIRET 537 903 894 09234","words":[{"box":[207,244,35,28],"confidence":0.9998,"text":"SIRET"},{"box":[240,245,25,25],"confidence":0.9997,"text":"537"},{"box":[263,246,26,25],"confidence":1.0,"text":"903"},{"box":[286,246,21,25],"confidence":0.9999,"text":"894"},{"box":[306,244,38,30],"confidence":1.0,"text":"09234"}]}],"width":561},"outline":{"card":[561,344],"photo":[1000,750],"quad":[[185.8,258.4],[738.0,184.4],[787.6,516.6],[233.1,599.5]],"rotation":0},"qr":[],"seconds":6.593}]',0,'2026-12-07T11:18:04.095293+00:00','2026-12-07T11:18:10.752466+00:00');
CREATE TABLE contacts (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            name text,
            title text,
            company text,
            emails_json text not null default '[]',
            phones_json text not null default '[]',   -- [{"number", "e164", "kind"}]
            websites_json text not null default '[]',
            socials_json text not null default '[]',
            address text,
            notes text,                          -- notes read from the card or typed in
            private_notes text,                  -- the user's own notes, kept out of exports
            confidence_json text not null default '{}',  -- {"field": 0..1}
            extracted_json text,                 -- the fields as OCR read them (for corrections)
            corrected_fields_json text not null default '[]',
            card_id integer references cards(id) on delete set null,
            card_index integer not null default 0,  -- which card of a photo with several
            merged_into integer references contacts(id) on delete set null,
            plan_id integer references plans(id) on delete set null,
            created text not null,
            updated text not null
        , "triaged" INTEGER NOT NULL DEFAULT 0);
INSERT INTO "contacts" VALUES(1,1,'Vítor Gonçalves Brandão','Head of Partnerships','Quantiqzen Consultoria S.A.','["vitor@quantiqzen.pt","geral@quantiqzen.pt"]','[{"e164":"+351217907902","kind":"office","number":"21 790 7902"},{"e164":"+351913191099","kind":"mobile","number":"+351 913 191 099"}]','["quantiqzen.pt"]','[]','Avenida da Liberdade 122, 1.º Esq., 1100-950 Lisboa, Portugal',NULL,NULL,'{"address":0.898,"company":1.0,"emails":0.949,"name":1.0,"phones":0.946,"title":1.0,"websites":0.948}','{"address":"Avenida da Liberdade 122, 1.º Esq., 1100-950 Lisboa, Portugal","company":"Quantiqzen Consultoria S.A.","emails":["vitor@quantiqzen.pt","geral@quantiqzen.pt"],"name":"Vítor Gonçalves Brandão","notes":null,"phones":[{"e164":"+351217907902","kind":"office","number":"21 790 7902"},{"e164":"+351913191099","kind":"mobile","number":"+351 913 191 099"}],"socials":[],"title":"Engenheiro de Software","websites":["quantiqzen.pt"]}','["title"]',1,0,NULL,NULL,'2026-12-07T11:17:53.008344+00:00','2026-12-07T11:18:10.927126+00:00',1);
INSERT INTO "contacts" VALUES(2,1,'Götz Bäcker','Leiter Vertrieb','Raal Systeme GmbH','["gbacker@raal.de"]','[{"e164":"+49406033254","kind":"office","number":"040 603325-4"},{"e164":"+491705974937","kind":"mobile","number":"0170 5974937"},{"e164":"+4930575173705","kind":"office","number":"+49 30 5751737-05"}]','["www.raal.de"]','["linkedin.com/in/gotz-backer"]','Friedrichstraße 203, 50595 Köln, Deutschland',NULL,'Met at the Nordic stand; two kids.','{"address":0.864,"company":1.0,"emails":0.95,"name":1.0,"phones":0.947,"socials":0.9,"title":0.9,"websites":0.95}','{"address":"Friedrichstraße 203, 50595 Köln, Deutschland","company":"Raal Systeme GmbH","emails":["gbacker@raal.de"],"name":"Götz Bäcker","notes":null,"phones":[{"e164":"+49406033254","kind":"office","number":"040 603325-4"},{"e164":"+491705974937","kind":"mobile","number":"0170 5974937"},{"e164":"+4930575173705","kind":"office","number":"+49 30 5751737-05"}],"socials":["linkedin.com/in/gotz-backer"],"title":"Leiter Vertrieb","websites":["www.raal.de"]}','[]',2,0,NULL,NULL,'2026-12-07T11:17:59.110862+00:00','2026-12-07T11:18:10.939705+00:00',0);
INSERT INTO "contacts" VALUES(3,1,'Thijs Smit','Projectleider','Albilo Logistiek N.V.','["t.smit@albilo.nl"]','[{"e164":"+31607388659","kind":"mobile","number":"+31 (0)6 07 38 86 59"}]','["www.albilo.nl"]','[]','Stationsplein 203, 3670 CS Rotterdam',NULL,NULL,'{"address":0.744,"company":1.0,"emails":0.942,"name":1.0,"phones":0.748,"title":0.9,"websites":0.941}','{"address":"Stationsplein 203, 3670 CS Rotterdam","company":"Albilo Logistiek N.V.","emails":["t.smit@albilo.nl"],"name":"Thijs Smit","notes":null,"phones":[{"e164":"+31607388659","kind":"mobile","number":"+31 (0)6 07 38 86 59"}],"socials":[],"title":"Projectleider","websites":["www.albilo.nl"]}','[]',3,0,NULL,NULL,'2026-12-07T11:18:03.974114+00:00','2026-12-07T11:18:03.974114+00:00',0);
INSERT INTO "contacts" VALUES(4,2,'François Giraud','DIRECTEUR DES OPÉRATIONS, EUROPE DU SUD','Orva Ingénierie SARL','["f.giraud@orva.fr"]','[{"e164":"+33402125119","kind":"office","number":"+33 (0)4 02 12 51 19"},{"e164":"+33631896533","kind":"mobile","number":"06 31 89 65 33"},{"e164":"+33179453013","kind":"fax","number":"01 79 45 30 13"}]','["orva.fr"]','[]','90 avenue Jean Jaurès, 69055 Lyon, France',NULL,NULL,'{"address":0.849,"company":1.0,"emails":0.95,"name":1.0,"phones":0.721,"title":0.885,"websites":0.797}','{"address":"90 avenue Jean Jaurès, 69055 Lyon, France","company":"Orva Ingénierie SARL","emails":["f.giraud@orva.fr"],"name":"François Giraud","notes":null,"phones":[{"e164":"+33402125119","kind":"office","number":"+33 (0)4 02 12 51 19"},{"e164":"+33631896533","kind":"mobile","number":"06 31 89 65 33"},{"e164":"+33179453013","kind":"fax","number":"01 79 45 30 13"}],"socials":[],"title":"DIRECTEUR DES OPÉRATIONS, EUROPE DU SUD","websites":["orva.fr"]}','[]',4,0,NULL,NULL,'2026-12-07T11:18:10.752486+00:00','2026-12-07T11:18:10.752486+00:00',0);
INSERT INTO "contacts" VALUES(5,1,'Rui Costa',NULL,'Costa & Filhos, Lda.','["rui@costa-filhos.pt"]','[{"e164":"+351912345678","kind":"mobile","number":"+351 912 345 678"}]','[]','[]',NULL,'second card',NULL,'{}',NULL,'[]',NULL,0,NULL,NULL,'2026-12-07T11:18:11.011217+00:00','2026-12-07T11:18:11.023670+00:00',0);
INSERT INTO "contacts" VALUES(6,1,'Rui Costa',NULL,NULL,'["rui@costa-filhos.pt"]','[]','[]','[]',NULL,'second card',NULL,'{}',NULL,'[]',NULL,0,5,NULL,'2026-12-07T11:18:11.019412+00:00','2026-12-07T11:18:11.023670+00:00',0);
CREATE TABLE corrections (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            card_id integer references cards(id) on delete set null,
            event_id integer references events(id) on delete set null,
            field text not null,
            ocr_value text,                     -- JSON of what OCR read
            final_value text,                   -- JSON of what the user set
            corrected text not null
        );
INSERT INTO "corrections" VALUES(1,1,1,1,1,'title','"Engenheiro de Software"','"Head of Partnerships"','2026-12-07T11:18:10.927126+00:00');
CREATE TABLE duplicates (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            other_id integer not null references contacts(id) on delete cascade,
            score real not null,
            reasons_json text not null,         -- why they look alike
            status text not null default 'offered'
                check (status in ('offered', 'merged', 'dismissed')),
            created text not null,
            unique (contact_id, other_id)
        );
INSERT INTO "duplicates" VALUES(1,1,6,5,0.9865,'["same e-mail rui@costa-filhos.pt","similar name (Rui Costa / Rui Costa)"]','merged','2026-12-07T11:18:11.019898+00:00');
CREATE TABLE events (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            name text not null,
            start_date text not null,
            end_date text not null,
            place text,
            created text not null,
            unique (user_id, name)
        );
INSERT INTO "events" VALUES(1,1,'Web Summit','2026-11-10','2026-11-13','Lisbon','2026-12-07T11:17:42.243312+00:00');
INSERT INTO "events" VALUES(2,1,'Expo Real','2026-10-05','2026-10-07','Munich','2026-12-07T11:17:42.251354+00:00');
INSERT INTO "events" VALUES(3,2,'Book Fair','2026-10-14','2026-10-18','Frankfurt','2026-12-07T11:17:42.263342+00:00');
CREATE TABLE important_dates (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            kind text not null,
            month integer not null check (month between 1 and 12),
            day integer not null check (day between 1 and 31),
            year integer,
            label text
        );
INSERT INTO "important_dates" VALUES(1,1,1,'birthday',2,29,NULL,NULL);
CREATE TABLE meetings (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            event_id integer not null references events(id) on delete cascade,
            card_id integer references cards(id) on delete set null,
            created text not null
        );
INSERT INTO "meetings" VALUES(1,1,1,1,1,'2026-12-07T11:17:53.008325+00:00');
INSERT INTO "meetings" VALUES(2,1,2,1,2,'2026-12-07T11:17:59.110846+00:00');
INSERT INTO "meetings" VALUES(3,1,3,1,3,'2026-12-07T11:18:03.974096+00:00');
INSERT INTO "meetings" VALUES(4,2,4,3,4,'2026-12-07T11:18:10.752466+00:00');
INSERT INTO "meetings" VALUES(5,1,5,1,NULL,'2026-12-07T11:18:11.011658+00:00');
CREATE TABLE merges (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            kept_id integer not null references contacts(id) on delete cascade,
            merged_id integer not null references contacts(id) on delete cascade,
            snapshot_json text not null,        -- both rows and moved ids, for unmerge
            merged text not null,
            undone text
        );
INSERT INTO "merges" VALUES(1,1,5,6,'{"duplicates":[{"id":1,"status":"offered"}],"kept":{"address":null,"card_id":null,"card_index":0,"company":"Costa & Filhos, Lda.","confidence_json":"{}","corrected_fields_json":"[]","created":"2026-12-07T11:18:11.011217+00:00","emails_json":"[\"rui@costa-filhos.pt\"]","extracted_json":null,"id":5,"merged_into":null,"name":"Rui Costa","notes":null,"phones_json":"[{\"e164\":\"+351912345678\",\"kind\":\"mobile\",\"number\":\"+351 912 345 678\"}]","plan_id":null,"private_notes":null,"socials_json":"[]","title":null,"triaged":0,"updated":"2026-12-07T11:18:11.011217+00:00","user_id":1,"websites_json":"[]"},"merged":{"address":null,"card_id":null,"card_index":0,"company":null,"confidence_json":"{}","corrected_fields_json":"[]","created":"2026-12-07T11:18:11.019412+00:00","emails_json":"[\"rui@costa-filhos.pt\"]","extracted_json":null,"id":6,"merged_into":null,"name":"Rui Costa","notes":"second card","phones_json":"[]","plan_id":null,"private_notes":null,"socials_json":"[]","title":null,"triaged":0,"updated":"2026-12-07T11:18:11.019412+00:00","user_id":1,"websites_json":"[]"},"moved":{"cards":[],"corrections":[],"important_dates":[],"meetings":[],"reasons":[],"touches":[]},"skipped_touches":[]}','2026-12-07T11:18:11.023670+00:00',NULL);
CREATE TABLE plans (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            name text not null,
            steps_json text not null,           -- [{"kind", "label", "offset_days"}, ...]
            is_default integer not null default 0
        );
INSERT INTO "plans" VALUES(1,1,'Thank you, check in, keep in touch','[{"kind":"thank_you","label":"thank you","offset_days":1},{"kind":"check_in","label":"check in","offset_days":21},{"kind":"keep_in_touch","label":"keep in touch","offset_days":90}]',1);
INSERT INTO "plans" VALUES(2,2,'Thank you, check in, keep in touch','[{"kind":"thank_you","label":"thank you","offset_days":1},{"kind":"check_in","label":"check in","offset_days":21},{"kind":"keep_in_touch","label":"keep in touch","offset_days":90}]',1);
CREATE TABLE reasons (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer references contacts(id) on delete cascade,  -- null until read
            card_id integer references cards(id) on delete set null,
            event_id integer references events(id) on delete set null,
            text text not null,
            kind text not null default 'other',
            due text,
            confirmed integer not null default 0,
            created text not null
        );
INSERT INTO "reasons" VALUES(1,1,1,NULL,NULL,'send deck','deck',NULL,1,'2026-12-07T11:18:10.876943+00:00');
INSERT INTO "reasons" VALUES(2,1,2,NULL,NULL,'coffee','meeting','2026-12-03',0,'2026-12-07T11:18:10.919465+00:00');
CREATE TABLE touches (
            id integer primary key,
            user_id integer not null references users(id) on delete cascade,
            contact_id integer not null references contacts(id) on delete cascade,
            kind text not null,
            title text not null,
            due text not null,
            status text not null default 'due'
                check (status in ('due', 'snoozed', 'done', 'skipped')),
            snoozed_until text,
            sequence integer not null default 0,
            step integer,
            created text not null,
            updated text not null
        );
INSERT INTO "touches" VALUES(1,1,1,'check_in','send deck','2026-11-14','done',NULL,2,1,'2026-12-07T11:17:53.010317+00:00','2026-11-14T18:30:00+00:00');
INSERT INTO "touches" VALUES(2,1,1,'keep_in_touch','keep in touch','2027-02-11','due',NULL,0,2,'2026-12-07T11:17:53.010317+00:00','2026-12-07T11:17:53.010317+00:00');
INSERT INTO "touches" VALUES(3,1,2,'check_in','coffee','2026-12-03','due',NULL,1,1,'2026-12-07T11:17:59.116654+00:00','2026-11-14T18:30:00+00:00');
INSERT INTO "touches" VALUES(4,1,2,'keep_in_touch','keep in touch','2027-03-02','due',NULL,1,2,'2026-12-07T11:17:59.116654+00:00','2026-11-14T18:30:00+00:00');
INSERT INTO "touches" VALUES(5,1,3,'check_in','check in','2026-11-14','snoozed','2026-12-01',2,1,'2026-12-07T11:18:03.985646+00:00','2026-11-14T18:30:00+00:00');
INSERT INTO "touches" VALUES(6,1,3,'keep_in_touch','keep in touch','2027-02-11','due',NULL,0,2,'2026-12-07T11:18:03.985646+00:00','2026-12-07T11:18:03.985646+00:00');
INSERT INTO "touches" VALUES(7,2,4,'check_in','check in','2026-12-07','due',NULL,0,1,'2026-12-07T11:18:10.760059+00:00','2026-12-07T11:18:10.760059+00:00');
INSERT INTO "touches" VALUES(8,2,4,'keep_in_touch','keep in touch','2027-01-16','due',NULL,0,2,'2026-12-07T11:18:10.760059+00:00','2026-12-07T11:18:10.760059+00:00');
INSERT INTO "touches" VALUES(9,1,1,'birthday','birthday','2027-02-28','due',NULL,0,NULL,'2026-11-14T18:30:00+00:00','2026-11-14T18:30:00+00:00');
CREATE TABLE users (
            id integer primary key,
            name text not null unique,
            password_hash text not null,        -- scrypt$n$r$p$salt$hash (hex)
            feed_token text not null,           -- secret in the calendar feed URL
            feed_token_sha256 text not null unique,
            created text not null
        , "session_epoch" INTEGER NOT NULL DEFAULT 0);
INSERT INTO "users" VALUES(1,'ana','scrypt$32768$8$1$ae9a916bf19f5b198a2f375246d6308a$9f9c95c6a9ba8f057ac087839a27592f348c83fcba2db00d3b43ef1606a57941','SoJvurigWIWg7y6tThayU-17AEGPjA-0KBf942Qvf1Y','56a6ac3b3a2c54f32d9c74d85472061e4b6663b575f273b55271090f1d21312c','2026-12-07T11:17:41.844106+00:00',0);
INSERT INTO "users" VALUES(2,'ben','scrypt$32768$8$1$b93cb3a064af1d7d22ebe95c46f08991$0be58cce02fb28957316140b18a6f726a6546485caa816501f84e4e8227c9a96','SObEp7MJCtMHnL5nLWqVTcJ6_FF2WqZ6SxXwN008czE','844e44565db868b6f9da0c6b73de694a898e435bed710c4297704dfbf2f5d6a1','2026-12-07T11:17:42.210282+00:00',0);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX cards_queue on cards (status, id);
CREATE INDEX cards_by_event on cards (user_id, event_id);
CREATE INDEX contacts_by_user on contacts (user_id, merged_into);
CREATE INDEX meetings_by_contact on meetings (contact_id);
CREATE INDEX reasons_by_contact on reasons (contact_id);
CREATE INDEX reasons_by_card on reasons (card_id);
CREATE INDEX corrections_by_user on corrections (user_id, event_id);
CREATE INDEX touches_by_user on touches (user_id, status, due);
CREATE TRIGGER contacts_fts_insert after insert on contacts begin
            
        delete from contacts_fts where rowid = new.id;
        
    insert into contacts_fts (rowid, name, company, title, emails, notes, reasons)
    select c.id, c.name, c.company, c.title,
        (select group_concat(value, ' ') from json_each(c.emails_json)),
        trim(coalesce(c.notes, '') || ' ' || coalesce(c.private_notes, '')),
        (select group_concat(r.text, ' ') from reasons r where r.contact_id = c.id)
    from contacts c
 where c.id = new.id;
    
        end;
CREATE TRIGGER contacts_fts_update after update on contacts begin
            
        delete from contacts_fts where rowid = new.id;
        
    insert into contacts_fts (rowid, name, company, title, emails, notes, reasons)
    select c.id, c.name, c.company, c.title,
        (select group_concat(value, ' ') from json_each(c.emails_json)),
        trim(coalesce(c.notes, '') || ' ' || coalesce(c.private_notes, '')),
        (select group_concat(r.text, ' ') from reasons r where r.contact_id = c.id)
    from contacts c
 where c.id = new.id;
    
        end;
CREATE TRIGGER contacts_fts_delete after delete on contacts begin
            delete from contacts_fts where rowid = old.id;
        end;
CREATE TRIGGER reasons_fts_insert after insert on reasons
        when new.contact_id is not null begin
            
        delete from contacts_fts where rowid = new.contact_id;
        
    insert into contacts_fts (rowid, name, company, title, emails, notes, reasons)
    select c.id, c.name, c.company, c.title,
        (select group_concat(value, ' ') from json_each(c.emails_json)),
        trim(coalesce(c.notes, '') || ' ' || coalesce(c.private_notes, '')),
        (select group_concat(r.text, ' ') from reasons r where r.contact_id = c.id)
    from contacts c
 where c.id = new.contact_id;
    
        end;
CREATE TRIGGER reasons_fts_update after update on reasons begin
            
        delete from contacts_fts where rowid = old.contact_id;
        
    insert into contacts_fts (rowid, name, company, title, emails, notes, reasons)
    select c.id, c.name, c.company, c.title,
        (select group_concat(value, ' ') from json_each(c.emails_json)),
        trim(coalesce(c.notes, '') || ' ' || coalesce(c.private_notes, '')),
        (select group_concat(r.text, ' ') from reasons r where r.contact_id = c.id)
    from contacts c
 where c.id = old.contact_id;
    
            
        delete from contacts_fts where rowid = new.contact_id;
        
    insert into contacts_fts (rowid, name, company, title, emails, notes, reasons)
    select c.id, c.name, c.company, c.title,
        (select group_concat(value, ' ') from json_each(c.emails_json)),
        trim(coalesce(c.notes, '') || ' ' || coalesce(c.private_notes, '')),
        (select group_concat(r.text, ' ') from reasons r where r.contact_id = c.id)
    from contacts c
 where c.id = new.contact_id;
    
        end;
CREATE TRIGGER reasons_fts_delete after delete on reasons
        when old.contact_id is not null begin
            
        delete from contacts_fts where rowid = old.contact_id;
        
    insert into contacts_fts (rowid, name, company, title, emails, notes, reasons)
    select c.id, c.name, c.company, c.title,
        (select group_concat(value, ' ') from json_each(c.emails_json)),
        trim(coalesce(c.notes, '') || ' ' || coalesce(c.private_notes, '')),
        (select group_concat(r.text, ' ') from reasons r where r.contact_id = c.id)
    from contacts c
 where c.id = old.contact_id;
    
        end;
CREATE VIRTUAL TABLE contacts_fts using fts5(
            name, company, title, emails, notes, reasons,
            tokenize = 'unicode61 remove_diacritics 2'
        );
INSERT INTO "contacts_fts"(rowid, "name", "company", "title", "emails", "notes", "reasons") VALUES(1, 'Vítor Gonçalves Brandão', 'Quantiqzen Consultoria S.A.', 'Head of Partnerships', 'vitor@quantiqzen.pt geral@quantiqzen.pt', '', 'send deck');
INSERT INTO "contacts_fts"(rowid, "name", "company", "title", "emails", "notes", "reasons") VALUES(2, 'Götz Bäcker', 'Raal Systeme GmbH', 'Leiter Vertrieb', 'gbacker@raal.de', 'Met at the Nordic stand; two kids.', 'coffee');
INSERT INTO "contacts_fts"(rowid, "name", "company", "title", "emails", "notes", "reasons") VALUES(3, 'Thijs Smit', 'Albilo Logistiek N.V.', 'Projectleider', 't.smit@albilo.nl', '', NULL);
INSERT INTO "contacts_fts"(rowid, "name", "company", "title", "emails", "notes", "reasons") VALUES(4, 'François Giraud', 'Orva Ingénierie SARL', 'DIRECTEUR DES OPÉRATIONS, EUROPE DU SUD', 'f.giraud@orva.fr', '', NULL);
INSERT INTO "contacts_fts"(rowid, "name", "company", "title", "emails", "notes", "reasons") VALUES(5, 'Rui Costa', 'Costa & Filhos, Lda.', NULL, 'rui@costa-filhos.pt', 'second card', NULL);
INSERT INTO "contacts_fts"(rowid, "name", "company", "title", "emails", "notes", "reasons") VALUES(6, 'Rui Costa', NULL, NULL, 'rui@costa-filhos.pt', 'second card', NULL);
COMMIT;
