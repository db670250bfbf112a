-- A ledger as the program made it before the one migration list: schema
-- version 1 (runs, invoices, payments, allocations, events) and the
-- tables the other modules made on their own with CREATE TABLE IF NOT
-- EXISTS: assignments (with its digest column), notice_batches and the
-- spool journal.  Made with that program (commit 6047707) and dumped
-- with `sqlite3 ledger.db .dump`:
--
--   mkdir -p S/in; cp tests/data/route/amili.conf tests/data/route/customers.tsv .
--   cp tests/data/svcpay/s-001.xml S/in/a.xml
--   cp tests/data/svcpay/s-004.xml S/in/b.xml
--   cp tests/data/svcpay/s-904.xml S/in/c.xml
--   reskontra run -q -c amili.conf --today 2026-09-01 --settle 0 S
--   reskontra match -c amili.conf -l S/state/ledger.db pay.rec
--   reskontra notify -c amili.conf -l S/state/ledger.db --today 2026-09-18 -o n
--
-- where pay.rec holds two payments to the company's own account: D1 of
-- 1088.36 with S-001's service reference 7715 and D2 of 500.00 with
-- S-004's own reference 1000041 (both bypass payments).
-- Load it with `sqlite3 ledger.db <schema-1.sql`.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES(1);
CREATE TABLE runs (  id INTEGER PRIMARY KEY,  started TEXT NOT NULL,  finished TEXT,  command TEXT NOT NULL,  inputs TEXT,  result TEXT);
INSERT INTO runs VALUES(1,'2026-12-02T16:17:30Z','2026-12-02T16:17:30Z','run','S','done');
INSERT INTO runs VALUES(2,'2026-12-02T16:17:35Z','2026-12-02T16:17:35Z','match','pay.rec','ok');
INSERT INTO runs VALUES(3,'2026-12-02T16:17:35Z','2026-12-02T16:17:35Z','notify','n','ok');
CREATE TABLE invoices (  id INTEGER PRIMARY KEY,  invoice_no TEXT NOT NULL,  type TEXT NOT NULL CHECK (type IN ('invoice', 'credit')),  invoice_date TEXT,  due_date TEXT,  reference TEXT,  match_key TEXT,  service TEXT NOT NULL,  total INTEGER NOT NULL,  credited INTEGER NOT NULL DEFAULT 0,  paid INTEGER NOT NULL DEFAULT 0,  over INTEGER NOT NULL DEFAULT 0,  open_amount INTEGER NOT NULL,  status TEXT NOT NULL,  buyer_id TEXT,  buyer_name TEXT,  credited_invoice_no TEXT,  credited_id INTEGER REFERENCES invoices(id),  source TEXT,  run_id INTEGER REFERENCES runs(id),  UNIQUE (invoice_no, type));
INSERT INTO invoices VALUES(1,'S-001','invoice','2026-09-01','2026-09-15','1000012','1000012','amili',108836,0,108836,0,0,'paid','0112038-9','Ostaja Oy',NULL,NULL,'a.xml:2',1);
INSERT INTO invoices VALUES(2,'S-004','invoice','2026-09-01','2026-09-15','1000041','1000041','amili',108836,-5675,50000,0,53161,'partial','0112038-9','Ostaja Oy',NULL,NULL,'b.xml:2',1);
INSERT INTO invoices VALUES(3,'S-904','credit','2026-09-10','2026-09-24','RF18539007547034','RF18539007547034','amili',-5675,0,0,0,0,'linked','0112038-9','Ostaja Oy','S-004',2,'c.xml:2',1);
CREATE TABLE payments (  id INTEGER PRIMARY KEY,  account_iban TEXT NOT NULL,  archive_id TEXT,  booking_date TEXT NOT NULL,  payment_date TEXT,  amount INTEGER NOT NULL CHECK (amount >= 0),  reference TEXT,  match_key TEXT,  payer_name TEXT,  correction INTEGER NOT NULL CHECK (correction IN (0, 1)),  reversed_by INTEGER REFERENCES payments(id),  reverses INTEGER REFERENCES payments(id),  source TEXT,  run_id INTEGER REFERENCES runs(id),  UNIQUE (account_iban, archive_id, booking_date, amount,    correction));
INSERT INTO payments VALUES(1,'FI2112345600000785','D1','2026-09-16','2026-09-15',108836,'7715','7715','Ostaja Oy',0,NULL,NULL,'pay.ktl:1',2);
INSERT INTO payments VALUES(2,'FI2112345600000785','D2','2026-09-16','2026-09-15',50000,'1000041','1000041','Ostaja Oy',0,NULL,NULL,'pay.ktl:2',2);
CREATE TABLE allocations (  id INTEGER PRIMARY KEY,  payment_id INTEGER REFERENCES payments(id),  invoice_id INTEGER REFERENCES invoices(id),  credit_id INTEGER REFERENCES invoices(id),  reverses_id INTEGER REFERENCES allocations(id),  amount INTEGER NOT NULL,  outcome TEXT NOT NULL,  open_after INTEGER,  reason TEXT,  reverses TEXT,  run_id INTEGER REFERENCES runs(id));
INSERT INTO allocations VALUES(1,NULL,2,3,NULL,-5675,'credit',103161,NULL,NULL,1);
INSERT INTO allocations VALUES(2,1,1,NULL,NULL,108836,'bypass',0,NULL,NULL,2);
INSERT INTO allocations VALUES(3,2,2,NULL,NULL,50000,'bypass',53161,NULL,NULL,2);
CREATE TABLE events (  id INTEGER PRIMARY KEY,  run_id INTEGER REFERENCES runs(id),  source TEXT,  kind TEXT NOT NULL,  key TEXT,  event TEXT NOT NULL,  detail TEXT);
CREATE TABLE assignments (  id INTEGER PRIMARY KEY,  number INTEGER UNIQUE,  invoice_no TEXT NOT NULL,  invoice_date TEXT,  buyer_id TEXT,  service TEXT NOT NULL,  action TEXT NOT NULL CHECK (action IN ('route', 'pass', 'reject')),  code INTEGER NOT NULL DEFAULT 0,  reason TEXT,  customer_group TEXT,  reference TEXT,  service_reference TEXT,  language TEXT,  login_code TEXT,  status TEXT,  in_error INTEGER NOT NULL DEFAULT 0,  closed_by INTEGER REFERENCES assignments(id),  source TEXT NOT NULL,  digest TEXT);
INSERT INTO assignments VALUES(1,1,'S-001','2026-09-01','0112038-9','amili','route',0,NULL,'premium','1000012','7715','fi','P0000001-E528','open',0,NULL,'a.xml:2','7e61403770f4e96cfd6106ade1c3070037037e97ea191a6c30cada651da06fdb');
INSERT INTO assignments VALUES(2,2,'S-004','2026-09-01','0112038-9','amili','route',0,NULL,'premium','1000041','7728','fi','P0000002-312E','open',0,NULL,'b.xml:2','490c0bb0a2b9d3cc368076d94842bcab915bc403d34d1df33717f86a63422a54');
INSERT INTO assignments VALUES(3,NULL,'S-904','2026-09-10','0112038-9','amili','pass',0,'credit note linked to invoice S-004','premium','RF18539007547034',NULL,'fi',NULL,NULL,0,NULL,'c.xml:2','eaedee89ddc7e41b386bb04e120c2f16389334d01030d787ffa541443a626968');
CREATE TABLE notice_batches (  id INTEGER PRIMARY KEY,  created TEXT NOT NULL,  after_alloc INTEGER NOT NULL,  upto_alloc INTEGER NOT NULL,  count INTEGER NOT NULL,  file TEXT,  written INTEGER NOT NULL DEFAULT 0);
INSERT INTO notice_batches VALUES(1,'2026-09-01',0,1,1,'notices-2026-09-01-1.tsv',1);
INSERT INTO notice_batches VALUES(2,'2026-09-18',1,3,2,'notices-2026-09-18-2.tsv',1);
CREATE TABLE spool_run ( id INTEGER PRIMARY KEY, day TEXT NOT NULL, seq INTEGER NOT NULL, reported INTEGER NOT NULL DEFAULT 0, UNIQUE (day, seq));
INSERT INTO spool_run VALUES(1,'2026-09-01',1,1);
CREATE TABLE spool_input ( id INTEGER PRIMARY KEY, run INTEGER NOT NULL REFERENCES spool_run(id), name BLOB NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, format TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL, dest TEXT NOT NULL, error TEXT, first INTEGER REFERENCES spool_input(id), filed INTEGER NOT NULL DEFAULT 0);
INSERT INTO spool_input VALUES(1,1,X'612e786d6c','815b2078157c5903c5c04da3b16d666eb2d9da0eaf339d684ce36cab656c7340',7611,'finvoice','processed','done/2026-09-01/a.xml',NULL,NULL,1);
INSERT INTO spool_input VALUES(2,1,X'622e786d6c','f3049020e588eb2d9af0ef59055a8712169b2f63377d63c9e25dc4ffaacdaf51',7611,'finvoice','processed','done/2026-09-01/b.xml',NULL,NULL,1);
INSERT INTO spool_input VALUES(3,1,X'632e786d6c','668d1314d4b9eade9f15dac49709c61b6b5378147710a0283b1c50064b0c8b91',4661,'finvoice','processed','done/2026-09-01/c.xml',NULL,NULL,1);
CREATE TABLE spool_output ( input INTEGER NOT NULL REFERENCES spool_input(id), seq INTEGER NOT NULL, staged TEXT NOT NULL, dest TEXT NOT NULL, PRIMARY KEY (input, seq));
INSERT INTO spool_output VALUES(1,1,'state/staging/1.1','out/invoices/a.xml');
INSERT INTO spool_output VALUES(2,1,'state/staging/2.1','out/invoices/b.xml');
INSERT INTO spool_output VALUES(3,1,'state/staging/3.1','out/invoices/c.xml');
CREATE TABLE spool_count ( input INTEGER NOT NULL REFERENCES spool_input(id), what TEXT NOT NULL, n INTEGER NOT NULL, cents INTEGER, PRIMARY KEY (input, what));
INSERT INTO spool_count VALUES(1,'inv',1,108836);
INSERT INTO spool_count VALUES(1,'invoices-routed',1,108836);
INSERT INTO spool_count VALUES(2,'inv',1,108836);
INSERT INTO spool_count VALUES(2,'invoices-routed',1,108836);
INSERT INTO spool_count VALUES(3,'inv',1,-5675);
INSERT INTO spool_count VALUES(3,'invoices-passed',1,-5675);
INSERT INTO spool_count VALUES(3,'alloc-credit',1,-5675);
CREATE TABLE spool_note ( input INTEGER NOT NULL REFERENCES spool_input(id), seq INTEGER NOT NULL, kind TEXT NOT NULL, line TEXT NOT NULL, PRIMARY KEY (input, seq));
CREATE TABLE spool_claim ( name BLOB PRIMARY KEY);
CREATE TABLE spool_stray ( run INTEGER NOT NULL REFERENCES spool_run(id), seq INTEGER NOT NULL, name BLOB NOT NULL, PRIMARY KEY (run, seq));
CREATE INDEX invoices_match_key ON invoices(match_key,  open_amount <= 0, id)  WHERE type = 'invoice';
CREATE INDEX invoices_unlinked ON invoices(credited_invoice_no)  WHERE type = 'credit' AND credited_id IS NULL;
CREATE INDEX invoices_credited_id ON invoices(credited_id)  WHERE credited_id IS NOT NULL;
CREATE INDEX payments_reversible ON payments(account_iban,  match_key, amount) WHERE correction = 0 AND reversed_by IS NULL;
CREATE INDEX allocations_payment ON allocations(payment_id);
CREATE INDEX allocations_invoice ON allocations(invoice_id);
CREATE INDEX assignments_no ON assignments(invoice_no,  invoice_date);
CREATE INDEX assignments_sref ON  assignments(service_reference) WHERE service_reference IS NOT NULL;
CREATE INDEX spool_input_sha256 ON spool_input(sha256) WHERE outcome = 'processed';
CREATE INDEX spool_input_unfiled ON spool_input(filed) WHERE filed = 0;
COMMIT;
