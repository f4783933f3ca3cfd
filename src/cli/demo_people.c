/* Synthetic people and companies for the demo operator; see demo_people.h. */
#include "cli/demo_people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ident.h"
#include "core/mem.h"
#include "core/time.h"
#include "core/banned.h"

void demo_rng_seed(struct demo_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t demo_rng_below(struct demo_rng *r, uint32_t n)
{
	return (uint32_t)(((demo_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const struct demo_city demo_cities[] = {
	{"GD-GZ",
	 "广东省",
	 "广州市",
	 "020",
	 {{"440106", "天河区"}, {"440104", "越秀区"}, {"440105", "海珠区"}, {"440113", "番禺区"}}},
	{"GD-SZ",
	 "广东省",
	 "深圳市",
	 "0755",
	 {{"440304", "福田区"}, {"440305", "南山区"}, {"440306", "宝安区"}, {"440307", "龙岗区"}}},
	{"GD-FS",
	 "广东省",
	 "佛山市",
	 "0757",
	 {{"440604", "禅城区"}, {"440605", "南海区"}, {"440606", "顺德区"}}},
	{"GD-DG", "广东省", "东莞市", "0769", {{"441900", "南城街道"}}},
	{"GD-ZH", "广东省", "珠海市", "0756", {{"440402", "香洲区"}, {"440403", "斗门区"}}},
	{"BJ-CY", "北京市", "北京市", "010", {{"110105", "朝阳区"}}},
	{"BJ-HD", "北京市", "北京市", "010", {{"110108", "海淀区"}}},
	{"BJ-DC", "北京市", "北京市", "010", {{"110101", "东城区"}}},
	{"SH-PD", "上海市", "上海市", "021", {{"310115", "浦东新区"}}},
	{"SH-XH", "上海市", "上海市", "021", {{"310104", "徐汇区"}}},
	{"SH-MH", "上海市", "上海市", "021", {{"310112", "闵行区"}}},
	{"ZJ-HZ",
	 "浙江省",
	 "杭州市",
	 "0571",
	 {{"330106", "西湖区"}, {"330102", "上城区"}, {"330108", "滨江区"}}},
	{"ZJ-NB", "浙江省", "宁波市", "0574", {{"330203", "海曙区"}, {"330212", "鄞州区"}}},
	{"ZJ-WZ", "浙江省", "温州市", "0577", {{"330302", "鹿城区"}, {"330304", "瓯海区"}}},
	{"ZJ-SX", "浙江省", "绍兴市", "0575", {{"330602", "越城区"}, {"330603", "柯桥区"}}},
	{"JS-NJ",
	 "江苏省",
	 "南京市",
	 "025",
	 {{"320102", "玄武区"}, {"320106", "鼓楼区"}, {"320115", "江宁区"}}},
	{"JS-SZ",
	 "江苏省",
	 "苏州市",
	 "0512",
	 {{"320508", "姑苏区"}, {"320506", "吴中区"}, {"320507", "相城区"}}},
	{"JS-WX", "江苏省", "无锡市", "0510", {{"320213", "梁溪区"}, {"320211", "滨湖区"}}},
	{"JS-CZ", "江苏省", "常州市", "0519", {{"320402", "天宁区"}, {"320412", "武进区"}}},
	{"SC-CD",
	 "四川省",
	 "成都市",
	 "028",
	 {{"510104", "锦江区"}, {"510107", "武侯区"}, {"510108", "成华区"}}},
	{"SC-MY", "四川省", "绵阳市", "0816", {{"510703", "涪城区"}, {"510704", "游仙区"}}},
	{"SC-DY", "四川省", "德阳市", "0838", {{"510603", "旌阳区"}, {"510604", "罗江区"}}},
};
const int demo_city_count = (int)COUNT(demo_cities);

/* The most common surnames, most frequent first; picked with a skew towards the front. */
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨",   "黄",   "赵",   "吴",   "周", "徐", "孙", "马",
	"朱", "胡", "郭", "何", "林", "罗",   "高",   "郑",   "梁",   "谢", "宋", "唐", "许",
	"韩", "冯", "邓", "曹", "彭", "曾",   "肖",   "田",   "董",   "袁", "潘", "于", "蒋",
	"蔡", "余", "杜", "叶", "程", "苏",   "魏",   "吕",   "丁",   "任", "沈", "姚", "卢",
	"姜", "崔", "钟", "谭", "陆", "汪",   "范",   "金",   "石",   "廖", "贾", "夏", "韦",
	"方", "白", "邹", "孟", "熊", "秦",   "邱",   "江",   "尹",   "薛", "段", "雷", "侯",
	"龙", "史", "陶", "黎", "贺", "顾",   "毛",   "郝",   "龚",   "邵", "万", "钱", "严",
	"武", "戴", "莫", "孔", "汤", "欧阳", "司马", "上官", "诸葛",
};
static const char *const male_given[] = {
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏",
	"华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙",
	"林", "阳", "峰", "建", "晨", "博", "文", "志", "海", "东", "子", "轩", "泽", "睿",
};
static const char *const female_given[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "燕", "玲", "桂", "丹", "萍",
	"红", "琳", "倩", "婷", "雪", "慧", "莹", "晶", "颖", "洁", "佳", "欣", "悦", "怡",
	"梦", "雨", "思", "涵", "萱", "琪", "瑶", "璐", "月", "春", "兰", "美", "晓", "诗",
};

static const struct {
	const char *given, *family, *nationality;
	int sex;
} foreigners[] = {
	{"John", "Smith", "US", 1},    {"Emily", "Johnson", "US", 2}, {"David", "Brown", "GB", 1},
	{"Sophie", "Martin", "FR", 2}, {"Lukas", "Müller", "DE", 1},  {"Anna", "Schmidt", "DE", 2},
	{"Min-jun", "Kim", "KR", 1},   {"Ji-woo", "Park", "KR", 2},   {"Yuki", "Tanaka", "JP", 2},
	{"Haruto", "Sato", "JP", 1},   {"Van An", "Nguyen", "VN", 1}, {"Thi Lan", "Tran", "VN", 2},
	{"Ivan", "Petrov", "RU", 1},   {"Olga", "Ivanova", "RU", 2},  {"Carlos", "García", "ES", 1},
	{"Priya", "Sharma", "IN", 2},  {"Somchai", "Wong", "TH", 1},  {"Siti", "Rahman", "MY", 2},
	{"Ahmed", "Hassan", "EG", 1},  {"Maria", "Silva", "BR", 2},
};

static const char *const streets[] = {
	"人民路", "中山路", "解放路", "建设路",	  "和平路",   "文化路",	  "新华路",   "青年路",
	"长江路", "黄河路", "科技路", "体育西路", "滨江大道", "世纪大道", "学院路",   "光明路",
	"幸福路", "朝阳路", "胜利路", "东风路",	  "南京路",   "北京路",	  "天府大道", "花园路",
};

/* Mobile segments by operator, weighted roughly as subscribers are (Mobile ~ 60%). */
static const char *const segments[] = {
	"138", "139", "135", "136", "137", "150", "151", "152", "157",	"158",
	"159", "182", "183", "187", "188", "198", "147", "178", "1390", "195",
	"130", "131", "132", "155", "156", "185", "186", "166", "175",	"176",
	"133", "153", "180", "181", "189", "199", "173", "177", "191",	"192",
};

static const char *const email_domains[] = {"qq.com",	"163.com",     "126.com",  "139.com",
					    "sina.com", "outlook.com", "gmail.com"};

static const char *const pinyin_syllables[] = {
	"wang", "li",	"zhang", "liu", "chen", "yang", "huang", "zhao",
	"wu",	"zhou", "xu",	 "sun", "ma",	"zhu",	"hu",	 "guo",
	"he",	"lin",	"luo",	 "gao", "fang", "ying", "wei",	 "jie",
};

#define MAX_DISTRICTS 4
#define YEARS	      90 /* birth years covered: today_y - 89 .. today_y */

/* seq[district][day] counts the resident IDs handed out for people born on that day in
 * that district, per sex; passports are numbered in sequence. */
struct demo_ids {
	int64_t first_day;
	uint16_t *seq; /* [city][district][day][sex] */
	uint32_t passports;
};

struct demo_ids *demo_ids_new(int today_y)
{
	struct demo_ids *ids = xcalloc(1, sizeof(*ids));

	ids->first_day = time_days_from_civil(today_y - YEARS + 1, 1, 1);
	ids->seq = xcalloc((size_t)demo_city_count * MAX_DISTRICTS * YEARS * 366 * 2,
			   sizeof(uint16_t));
	return ids;
}

void demo_ids_free(struct demo_ids *ids)
{
	if (!ids)
		return;
	free(ids->seq);
	free(ids);
}

/* The next free sequence number (0..999, odd for men) for a birth day in a district;
 * -1 when the day has run out (500 of one sex), and the caller picks another day. */
static int next_seq(struct demo_ids *ids, const struct demo_city *city, int district, int64_t day,
		    int sex)
{
	size_t c = (size_t)(city - demo_cities), d = (size_t)(day - ids->first_day);
	uint16_t *n = &ids->seq[((c * MAX_DISTRICTS + (size_t)district) * YEARS * 366 + d) * 2 +
				(size_t)(sex - 1)];

	if (*n >= 500)
		return -1;
	return (*n)++ * 2 + (sex == 1 ? 1 : 0);
}

static void address(struct demo_rng *r, const struct demo_city *city,
		    const struct demo_district **district, char *street, size_t n)
{
	int nd = 0;

	while (nd < 4 && city->districts[nd].code)
		nd++;
	*district = &city->districts[demo_rng_below(r, (uint32_t)nd)];
	if (demo_rng_below(r, 3))
		snprintf(street, n, "%s%u号%u栋%u室", streets[demo_rng_below(r, COUNT(streets))],
			 1 + demo_rng_below(r, 399), 1 + demo_rng_below(r, 12),
			 101 + demo_rng_below(r, 30) * 100 + demo_rng_below(r, 8));
	else
		snprintf(street, n, "%s%u号", streets[demo_rng_below(r, COUNT(streets))],
			 1 + demo_rng_below(r, 999));
}

void demo_person_make(struct demo_rng *r, struct demo_ids *ids, const struct demo_city *city,
		      int today_y, struct demo_person *out)
{
	uint32_t pick;
	int age;

	memset(out, 0, sizeof(*out));
	out->city = city;
	address(r, city, &out->district, out->street, sizeof(out->street));
	/* ages 18-85, most between 25 and 55 (two draws averaged) */
	age = 18 + (int)(demo_rng_below(r, 68) + demo_rng_below(r, 68)) / 2;
	out->birth_year = today_y - age;
	out->birth_month = 1 + (int)demo_rng_below(r, 12);
	out->birth_day = 1 + (int)demo_rng_below(r, (uint32_t)time_days_in_month(out->birth_year,
										 out->birth_month));
	out->sex = 1 + (int)demo_rng_below(r, 2);
	out->foreign = demo_rng_below(r, 100) < 3;
	if (out->foreign) {
		pick = demo_rng_below(r, COUNT(foreigners));
		out->sex = foreigners[pick].sex;
		snprintf(out->given_name, sizeof(out->given_name), "%s", foreigners[pick].given);
		snprintf(out->family_name, sizeof(out->family_name), "%s", foreigners[pick].family);
		snprintf(out->full_name, sizeof(out->full_name), "%s %s", out->given_name,
			 out->family_name);
		snprintf(out->nationality, sizeof(out->nationality), "%s",
			 foreigners[pick].nationality);
		snprintf(out->id_type, sizeof(out->id_type), "passport");
		/* a stride coprime to 10^8 walks every number once */
		snprintf(out->id_number, sizeof(out->id_number), "%c%08u",
			 "EGPK"[ids->passports % 4],
			 (unsigned)((12345678ULL + ids->passports * 7919ULL) % 100000000ULL));
		ids->passports++;
	} else {
		const char *const *given = out->sex == 1 ? male_given : female_given;
		size_t ng = out->sex == 1 ? COUNT(male_given) : COUNT(female_given);
		/* skewed towards the common surnames: the smaller of two draws */
		uint32_t a = demo_rng_below(r, COUNT(surnames)),
			 b = demo_rng_below(r, COUNT(surnames));

		snprintf(out->family_name, sizeof(out->family_name), "%s", surnames[a < b ? a : b]);
		if (demo_rng_below(r, 3))
			snprintf(out->given_name, sizeof(out->given_name), "%s%s",
				 given[demo_rng_below(r, (uint32_t)ng)],
				 given[demo_rng_below(r, (uint32_t)ng)]);
		else
			snprintf(out->given_name, sizeof(out->given_name), "%s",
				 given[demo_rng_below(r, (uint32_t)ng)]);
		snprintf(out->full_name, sizeof(out->full_name), "%s%s", out->family_name,
			 out->given_name);
		snprintf(out->nationality, sizeof(out->nationality), "CN");
		snprintf(out->id_type, sizeof(out->id_type), "residentId");
		/* the sequence's last digit carries the sex: odd for men, even for women; a
		 * day whose numbers are all taken moves the birthday to the next one */
		for (;;) {
			int64_t day =
				time_days_from_civil(out->birth_year, (unsigned)out->birth_month,
						     (unsigned)out->birth_day);
			int seq = next_seq(ids, city, (int)(out->district - city->districts), day,
					   out->sex);
			unsigned m, d;

			if (seq >= 0) {
				if (ident_resident_id_make(out->id_number, out->district->code,
							   out->birth_year, out->birth_month,
							   out->birth_day, seq))
					out->id_number[0] = '\0';
				break;
			}
			time_civil_from_days(day + 1, &out->birth_year, &m, &d);
			out->birth_month = (int)m;
			out->birth_day = (int)d;
		}
	}
	if (ident_mobile_make(out->mobile, segments[demo_rng_below(r, COUNT(segments))],
			      (uint32_t)demo_rng_next(r)))
		out->mobile[0] = '\0';
	if (demo_rng_below(r, 2))
		snprintf(out->email, sizeof(out->email), "%s.%s%u@%s",
			 pinyin_syllables[demo_rng_below(r, COUNT(pinyin_syllables))],
			 pinyin_syllables[demo_rng_below(r, COUNT(pinyin_syllables))],
			 demo_rng_below(r, 1000),
			 email_domains[demo_rng_below(r, COUNT(email_domains))]);
}

static const char *const trade_words[] = {"恒信", "华美", "东方", "宏达", "金桥", "新世纪",
					  "天成", "瑞丰", "盛和", "远航", "中泰", "永安",
					  "博雅", "鼎盛", "汇通", "启明"};
static const char *const industries[] = {"科技", "贸易", "物流",     "餐饮管理", "建筑工程",
					 "电子", "医药", "教育咨询", "文化传媒", "机械制造"};

void demo_company_make(struct demo_rng *r, const struct demo_city *city, struct demo_company *out)
{
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	const char *trade = trade_words[demo_rng_below(r, COUNT(trade_words))];
	char org8[9];

	memset(out, 0, sizeof(*out));
	out->city = city;
	address(r, city, &out->district, out->street, sizeof(out->street));
	snprintf(out->trading_name, sizeof(out->trading_name), "%s%s", trade,
		 industries[demo_rng_below(r, COUNT(industries))]);
	snprintf(out->name, sizeof(out->name), "%s%s有限公司", city->city, out->trading_name);
	for (int i = 0; i < 8; i++)
		org8[i] = alphabet[demo_rng_below(r, sizeof(alphabet) - 1)];
	org8[8] = '\0';
	if (ident_uscc_make(out->credit_code, '9', '1', out->district->code, org8))
		out->credit_code[0] = '\0';
	snprintf(out->phone, sizeof(out->phone), "%s-%u%07u", city->area_code,
		 2 + demo_rng_below(r, 8), demo_rng_below(r, 10000000));
}
