package leakgen

import (
	"context"
	"crypto/md5"
	"time"
)

// This file writes the database dump formats: mysqldump and pg_dump.

const mysqlHeader = "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n" +
	"--\n" +
	"-- Host: localhost    Database: crm_prod\n" +
	"-- ------------------------------------------------------\n" +
	"-- Server version\t8.0.36-0ubuntu0.22.04.1\n" +
	"\n" +
	"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n" +
	"/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;\n" +
	"/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;\n" +
	"/*!50503 SET NAMES utf8mb4 */;\n" +
	"/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;\n" +
	"/*!40103 SET TIME_ZONE='+00:00' */;\n" +
	"/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;\n" +
	"/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n" +
	"/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;\n" +
	"/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;\n" +
	"\n" +
	"--\n" +
	"-- Table structure for table `customers`\n" +
	"--\n" +
	"\n" +
	"DROP TABLE IF EXISTS `customers`;\n" +
	"/*!40101 SET @saved_cs_client     = @@character_set_client */;\n" +
	"/*!50503 SET character_set_client = utf8mb4 */;\n" +
	"CREATE TABLE `customers` (\n" +
	"  `id` int unsigned NOT NULL AUTO_INCREMENT,\n" +
	"  `username` varchar(64) NOT NULL,\n" +
	"  `email` varchar(255) NOT NULL,\n" +
	"  `password` char(32) NOT NULL,\n" +
	"  `first_name` varchar(100) DEFAULT NULL,\n" +
	"  `last_name` varchar(100) DEFAULT NULL,\n" +
	"  `phone` varchar(32) DEFAULT NULL,\n" +
	"  `birth_date` date DEFAULT NULL,\n" +
	"  `street` varchar(255) DEFAULT NULL,\n" +
	"  `city` varchar(100) DEFAULT NULL,\n" +
	"  `postcode` varchar(16) DEFAULT NULL,\n" +
	"  `country` char(2) DEFAULT NULL,\n" +
	"  `tax_id` varchar(32) DEFAULT NULL,\n" +
	"  `device_id` varchar(64) DEFAULT NULL,\n" +
	"  `last_ip` varchar(45) DEFAULT NULL,\n" +
	"  `uuid` binary(16) NOT NULL,\n" +
	"  `created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,\n" +
	"  PRIMARY KEY (`id`),\n" +
	"  KEY `idx_email` (`email`)\n" +
	") ENGINE=InnoDB AUTO_INCREMENT="

const mysqlTableEnd = " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci;\n" +
	"/*!40101 SET character_set_client = @saved_cs_client */;\n" +
	"\n" +
	"--\n" +
	"-- Dumping data for table `customers`\n" +
	"--\n" +
	"\n" +
	"LOCK TABLES `customers` WRITE;\n" +
	"/*!40000 ALTER TABLE `customers` DISABLE KEYS */;\n"

const mysqlFooter = "/*!40000 ALTER TABLE `customers` ENABLE KEYS */;\n" +
	"UNLOCK TABLES;\n" +
	"/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;\n" +
	"\n" +
	"/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;\n" +
	"/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n" +
	"/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;\n" +
	"/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;\n" +
	"/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;\n" +
	"/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;\n" +
	"/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;\n" +
	"\n" +
	"-- Dump completed on "

// mysqlRowsPerInsert is how many rows one extended INSERT holds.
const mysqlRowsPerInsert = 500

const mysqlInsert = "INSERT INTO `customers` VALUES "

// dumpTime returns when the dump was made: a time in 2019-2024 that
// depends on the seed only.
func (g *gen) dumpTime() time.Time {
	return time.Unix(1546300800+int64(g.fileRNG().intn(6*365*86400)), 0).UTC()
}

func (g *gen) mysql(ctx context.Context) error {
	g.buf = append(g.buf, mysqlHeader...)
	g.buf = itoa(g.buf, g.opts.Rows+1)
	g.buf = append(g.buf, mysqlTableEnd...)
	if err := g.loop(ctx, needAll, g.mysqlRecord, g.mysqlJunk); err != nil {
		return err
	}
	g.endInsert()
	g.buf = append(g.buf, mysqlFooter...)
	g.buf = g.dumpTime().AppendFormat(g.buf, "2006-01-02 15:04:05")
	g.buf = append(g.buf, '\n')
	return nil
}

func (g *gen) endInsert() {
	if g.insertRows > 0 {
		g.buf = append(g.buf, ";\n"...)
		g.insertRows = 0
	}
}

func (g *gen) mysqlRecord(i int64) error {
	p, r := &g.p, &g.r
	b := g.buf
	if g.insertRows == 0 {
		b = append(b, mysqlInsert...)
	} else {
		b = append(b, ',')
	}
	b = append(b, '(')
	b = append(itoa(b, i+1), ',')
	b = append(appendMySQLString(b, p.username), ',')
	b = append(appendMySQLString(b, p.email), ',')
	sum := md5.Sum(p.password)
	b = append(b, '\'')
	b = appendHexBytes(b, sum[:], false)
	b = append(b, '\'', ',')
	b = append(appendMySQLString(b, []byte(p.firstName())), ',')
	b = append(appendMySQLString(b, []byte(p.lastName())), ',')
	if r.chance(40) {
		b = append(b, "NULL"...)
	} else {
		b = appendMySQLString(b, p.phone)
	}
	b = append(b, ',')
	if r.chance(20) {
		b = append(b, "NULL"...)
	} else {
		b = append(p.appendDOB(append(b, '\'')), '\'')
	}
	b = append(b, ',')
	b = append(appendMySQLString(b, p.street), ',')
	b = append(appendMySQLString(b, []byte(p.city)), ',')
	b = append(appendMySQLString(b, p.postcode), ',')
	b = append(append(append(b, '\''), p.cult.code...), '\'', ',')
	if r.chance(80) {
		b = append(b, "NULL"...)
	} else {
		b = appendMySQLString(b, p.taxID)
	}
	b = append(b, ',')
	b = append(appendMySQLString(b, p.deviceID), ',')
	b = append(appendMySQLString(b, p.ip), ',')
	b = append(b, "0x"...) // --hex-blob
	b = appendHex(b, r, 32, true)
	b = append(b, ',', '\'')
	b = appendCreated(b, r, "2006-01-02 15:04:05")
	b = append(b, '\'', ')')
	g.buf = b
	g.insertRows++
	if g.insertRows == mysqlRowsPerInsert {
		g.endInsert()
	}
	return nil
}

// appendMySQLString appends s as a quoted MySQL string literal, escaped as
// mysqldump escapes it.
func appendMySQLString(b, s []byte) []byte {
	b = append(b, '\'')
	for _, c := range s {
		switch c {
		case 0:
			b = append(b, '\\', '0')
		case '\'', '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case 0x1a:
			b = append(b, '\\', 'Z')
		default:
			b = append(b, c)
		}
	}
	return append(b, '\'')
}

// mysqlJunk ends the current INSERT and writes a line that is not SQL:
// binary garbage, or client error output that ended up in the file.
func (g *gen) mysqlJunk() {
	g.endInsert()
	r := &g.jr
	b := g.buf
	switch r.intn(3) {
	case 0:
		b = appendGarbage(b, r)
	case 1:
		b = append(b, "ERROR 2013 (HY000) at line "...)
		b = itoa(b, int64(r.between(40, 90000)))
		b = append(b, ": Lost connection to MySQL server during query"...)
	default:
		b = append(b, "mysqldump: Got error: 2013: Lost connection to MySQL server during query when dumping table `customers` at row: "...)
		b = itoa(b, int64(r.between(1, 999999)))
	}
	g.buf = append(b, '\n')
}

const pgHeader = "--\n" +
	"-- PostgreSQL database dump\n" +
	"--\n" +
	"\n" +
	"-- Dumped from database version 15.6 (Debian 15.6-1.pgdg120+2)\n" +
	"-- Dumped by pg_dump version 15.6 (Debian 15.6-1.pgdg120+2)\n" +
	"\n" +
	"SET statement_timeout = 0;\n" +
	"SET lock_timeout = 0;\n" +
	"SET idle_in_transaction_session_timeout = 0;\n" +
	"SET client_encoding = 'UTF8';\n" +
	"SET standard_conforming_strings = on;\n" +
	"SELECT pg_catalog.set_config('search_path', '', false);\n" +
	"SET check_function_bodies = false;\n" +
	"SET xmloption = content;\n" +
	"SET client_min_messages = warning;\n" +
	"SET row_security = off;\n" +
	"\n" +
	"SET default_tablespace = '';\n" +
	"\n" +
	"SET default_table_access_method = heap;\n" +
	"\n" +
	"--\n" +
	"-- Name: customers; Type: TABLE; Schema: public; Owner: app\n" +
	"--\n" +
	"\n" +
	"CREATE TABLE public.customers (\n" +
	"    id integer NOT NULL,\n" +
	"    email character varying(255) NOT NULL,\n" +
	"    username character varying(64),\n" +
	"    password text,\n" +
	"    full_name text,\n" +
	"    phone character varying(32),\n" +
	"    date_of_birth date,\n" +
	"    street text,\n" +
	"    city text,\n" +
	"    postcode character varying(16),\n" +
	"    country character(2),\n" +
	"    tax_id character varying(32),\n" +
	"    device_id character varying(64),\n" +
	"    ip_address inet,\n" +
	"    created_at timestamp with time zone DEFAULT now() NOT NULL\n" +
	");\n" +
	"\n" +
	"\n" +
	"ALTER TABLE public.customers OWNER TO app;\n" +
	"\n" +
	"--\n" +
	"-- Data for Name: customers; Type: TABLE DATA; Schema: public; Owner: app\n" +
	"--\n" +
	"\n" +
	"COPY public.customers (id, email, username, password, full_name, phone, date_of_birth, street, city, " +
	"postcode, country, tax_id, device_id, ip_address, created_at) FROM stdin;\n"

// pgColumns is the number of columns of the COPY block.
const pgColumns = 15

const pgFooter = "\\.\n" +
	"\n" +
	"\n" +
	"--\n" +
	"-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: public; Owner: app\n" +
	"--\n" +
	"\n" +
	"ALTER TABLE ONLY public.customers\n" +
	"    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);\n" +
	"\n" +
	"\n" +
	"--\n" +
	"-- PostgreSQL database dump complete\n" +
	"--\n" +
	"\n"

func (g *gen) pgdump(ctx context.Context) error {
	g.buf = append(g.buf, pgHeader...)
	if err := g.loop(ctx, needAll, g.pgRecord, g.pgJunk); err != nil {
		return err
	}
	g.buf = append(g.buf, pgFooter...)
	return nil
}

func (g *gen) pgRecord(i int64) error {
	p, r := &g.p, &g.r
	b := append(itoa(g.buf, i+1), '\t')
	b = append(appendCopyField(b, p.email), '\t')
	b = append(appendCopyField(b, p.username), '\t')
	b = append(appendCopyField(b, p.password), '\t')
	var nameBuf [128]byte
	b = append(appendCopyField(b, p.appendFullName(nameBuf[:0])), '\t')
	if r.chance(40) {
		b = append(b, `\N`...)
	} else {
		b = appendCopyField(b, p.phone)
	}
	b = append(b, '\t')
	b = append(p.appendDOB(b), '\t')
	b = append(appendCopyField(b, p.street), '\t')
	b = append(appendCopyField(b, []byte(p.city)), '\t')
	b = append(appendCopyField(b, p.postcode), '\t')
	b = append(append(b, p.cult.code...), '\t')
	if r.chance(80) {
		b = append(b, `\N`...)
	} else {
		b = appendCopyField(b, p.taxID)
	}
	b = append(b, '\t')
	b = append(appendCopyField(b, p.deviceID), '\t')
	b = append(append(b, p.ip...), '\t')
	b = appendCreated(b, r, "2006-01-02 15:04:05-07")
	g.buf = append(b, '\n')
	return nil
}

// appendCopyField appends s escaped for COPY's text format.
func appendCopyField(b, s []byte) []byte {
	for _, c := range s {
		switch c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, c)
		}
	}
	return b
}

// pgJunk writes a COPY line that does not have the table's columns.
func (g *gen) pgJunk() {
	r := &g.jr
	b := g.buf
	switch r.intn(3) {
	case 0:
		b = appendGarbage(b, r)
	case 1: // a row cut short
		b = append(itoa(b, int64(r.between(1, 999999))), '\t')
		b = appendJunkToken(b, r)
		b = append(b, "@example.com\t"...)
		b = appendJunkToken(b, r)
	default:
		b = appendJunkToken(b, r)
	}
	g.buf = append(b, '\n')
}
