/* SPDX-License-Identifier: ISC */
/*
 * keys - the one keymap of the dashboard.
 *
 * Every key the views react to is a row of bindings[] mapping it to an
 * action; the views switch on actions, never on keys, the help view
 * prints this table, and remapping (keys_bind, for the config file)
 * edits it.  So what help says is what the code does.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_int.h"
#include "xmalloc.h"

#undef CTRL
#define CTRL(c)	((c) & 0x1f)

static const struct ui_act_info keys_acts[UA_COUNT] = {
	[UA_NONE] = { "none", "", "" },
	[UA_UP] = { "up", "everywhere", "move up" },
	[UA_DOWN] = { "down", "everywhere", "move down" },
	[UA_PGUP] = { "page-up", "everywhere", "one page up" },
	[UA_PGDN] = { "page-down", "everywhere", "one page down" },
	[UA_TOP] = { "top", "everywhere", "first line" },
	[UA_BOTTOM] = { "bottom", "everywhere", "last line" },
	[UA_ENTER] = { "enter", "tables", "drill down: tunnel detail" },
	[UA_BACK] = { "back", "everywhere", "back to the previous view" },
	[UA_TAB] = { "tab", "everywhere",
	    "next view (tunnels, devices, events)" },
	[UA_EXPAND] = { "expand", "tunnels",
	    "unfold / fold dial-up and ADVPN children" },
	[UA_FILTER] = { "filter", "tables",
	    "filter (regex; /! inverts; empty clears)" },
	[UA_COMMAND] = { "command", "everywhere",
	    "command line (:device :vdom :sort :export :at :debug off "
	    ":quit ...)" },
	[UA_HELP] = { "help", "everywhere", "this help" },
	[UA_QUIT] = { "quit", "everywhere",
	    "quit (asks when IKE debug runs)" },
	[UA_SORT_NEXT] = { "sort-next", "tunnels", "sort by the next column" },
	[UA_SORT_PREV] = { "sort-prev", "tunnels",
	    "sort by the previous column" },
	[UA_SORT_REVERSE] = { "sort-reverse", "tunnels",
	    "reverse the sort order" },
	[UA_FREEZE] = { "freeze", "everywhere",
	    "freeze / resume updates" },
	[UA_DEVICES] = { "devices", "everywhere", "devices view" },
	[UA_EVENTS] = { "events", "everywhere", "events of every device" },
	[UA_TUNNELS] = { "tunnels", "everywhere", "tunnels view (home)" },
	[UA_DEBUG] = { "debug", "tunnel", "IKE debug for the peer" },
	[UA_SNIFF] = { "sniff", "tunnel", "sniffer on IKE toward the peer" },
	[UA_SNIFF_EDIT] = { "sniff-edit", "tunnel",
	    "sniffer, editing the filter first" },
	[UA_TRACE] = { "traceroute", "tunnel",
	    "traceroute from the local gateway address" },
	[UA_ROUTE] = { "route", "tunnel", "route lookup toward the peer" },
	[UA_NEXT] = { "search-next", "tool panes", "next match" },
	[UA_PREV] = { "search-prev", "tool panes", "previous match" },
	[UA_FOLLOW] = { "follow", "tool panes", "follow / pause the stream" },
	[UA_SAVE] = { "save", "tool panes", "save the pane to a file" },
	[UA_RECONNECT] = { "reconnect", "devices",
	    "reconnect the selected device" },
	[UA_REDRAW] = { "redraw", "everywhere", "redraw the screen" },
	[UA_EXPORT] = { "export", "tunnel, devices",
	    "incident bundle (.tar.gz) of the tunnel or device" },
	[UA_STEP_PREV] = { "step-back", "replay",
	    "the previous journal event (:at TIME jumps)" },
	[UA_STEP_NEXT] = { "step", "replay", "the next journal event" },
};

/* Order matters for help: the first key of an action is its main one. */
#define UI_MAXKEYS	80
static struct ui_key keys_map[UI_MAXKEYS] = {
	{ 'k', 0, UA_UP }, { KEY_UP, 1, UA_UP },
	{ 'j', 0, UA_DOWN }, { KEY_DOWN, 1, UA_DOWN },
	{ KEY_PPAGE, 1, UA_PGUP }, { CTRL('b'), 0, UA_PGUP },
	{ KEY_NPAGE, 1, UA_PGDN }, { CTRL('f'), 0, UA_PGDN },
	{ ' ', 0, UA_PGDN },
	{ 'g', 0, UA_TOP }, { KEY_HOME, 1, UA_TOP },
	{ 'G', 0, UA_BOTTOM }, { KEY_END, 1, UA_BOTTOM },
	{ '\r', 0, UA_ENTER }, { '\n', 0, UA_ENTER }, { KEY_ENTER, 1, UA_ENTER },
	{ 'l', 0, UA_ENTER }, { KEY_RIGHT, 1, UA_ENTER },
	{ 27, 0, UA_BACK }, { 'h', 0, UA_BACK }, { KEY_LEFT, 1, UA_BACK },
	{ KEY_BACKSPACE, 1, UA_BACK },
	{ '\t', 0, UA_TAB },
	{ '+', 0, UA_EXPAND }, { '-', 0, UA_EXPAND },
	{ '/', 0, UA_FILTER },
	{ ':', 0, UA_COMMAND },
	{ '?', 0, UA_HELP }, { KEY_F(1), 1, UA_HELP },
	{ 'q', 0, UA_QUIT }, { KEY_F(10), 1, UA_QUIT },
	{ '>', 0, UA_SORT_NEXT }, { '<', 0, UA_SORT_PREV },
	{ 'I', 0, UA_SORT_REVERSE },
	{ 'F', 0, UA_FREEZE },
	{ 'D', 0, UA_DEVICES }, { 'e', 0, UA_EVENTS }, { 'T', 0, UA_TUNNELS },
	{ 'd', 0, UA_DEBUG }, { 's', 0, UA_SNIFF }, { 'S', 0, UA_SNIFF_EDIT },
	{ 't', 0, UA_TRACE }, { 'r', 0, UA_ROUTE },
	{ 'n', 0, UA_NEXT }, { 'N', 0, UA_PREV },
	{ 'f', 0, UA_FOLLOW }, { 'w', 0, UA_SAVE },
	{ 'R', 0, UA_RECONNECT },
	{ 'E', 0, UA_EXPORT },
	{ CTRL('l'), 0, UA_REDRAW },
	{ '[', 0, UA_STEP_PREV }, { ']', 0, UA_STEP_NEXT },
	{ 0, 0, UA_NONE }
};

enum ui_act
keys_lookup(int key, int fn)
{
	size_t	 i;

	for (i = 0; keys_map[i].act != UA_NONE; i++)
		if (keys_map[i].key == key && keys_map[i].fn == fn)
			return (keys_map[i].act);
	return (UA_NONE);
}

const struct ui_act_info *
keys_info(enum ui_act a)
{
	return (&keys_acts[a]);
}

const struct ui_key *
keys_binding(size_t i)
{
	if (i >= UI_MAXKEYS || keys_map[i].act == UA_NONE)
		return (NULL);
	return (&keys_map[i]);
}

/* Named keys, both ways. */
static const struct {
	int		 key;
	int		 fn;
	const char	*name;
} keys_names_tab[] = {
	{ KEY_UP, 1, "Up" }, { KEY_DOWN, 1, "Down" },
	{ KEY_LEFT, 1, "Left" }, { KEY_RIGHT, 1, "Right" },
	{ KEY_PPAGE, 1, "PgUp" }, { KEY_NPAGE, 1, "PgDn" },
	{ KEY_HOME, 1, "Home" }, { KEY_END, 1, "End" },
	{ KEY_ENTER, 1, "KpEnter" }, { KEY_BACKSPACE, 1, "Backspace" },
	{ KEY_F(1), 1, "F1" }, { KEY_F(10), 1, "F10" },
	{ '\r', 0, "Enter" }, { '\n', 0, "^J" }, { 27, 0, "Esc" },
	{ '\t', 0, "Tab" }, { ' ', 0, "Space" },
};

const char *
keys_keyname(int key, int fn)
{
	static char	 buf[8];
	size_t		 i;

	for (i = 0; i < sizeof keys_names_tab / sizeof keys_names_tab[0]; i++)
		if (keys_names_tab[i].key == key && keys_names_tab[i].fn == fn)
			return (keys_names_tab[i].name);
	if (!fn && key > 0 && key < 32)
		snprintf(buf, sizeof buf, "^%c", key + 64);
	else if (!fn && key < 127)
		snprintf(buf, sizeof buf, "%c", key);
	else
		snprintf(buf, sizeof buf, "#%d", key);
	return (buf);
}

void
keys_names(enum ui_act a, char *buf, size_t len)
{
	size_t	 i, used = 0;
	int	 n;

	buf[0] = '\0';
	for (i = 0; keys_map[i].act != UA_NONE && used < len; i++) {
		if (keys_map[i].act != a)
			continue;
		n = snprintf(buf + used, len - used, "%s%s",
		    used != 0 ? " " : "",
		    keys_keyname(keys_map[i].key, keys_map[i].fn));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* A key name back to its code: "x", "^L", "F5", "Enter", "PgDn". */
static int
keys_parse(const char *s, int *key, int *fn)
{
	size_t	 i;

	for (i = 0; i < sizeof keys_names_tab / sizeof keys_names_tab[0]; i++)
		if (strcasecmp(keys_names_tab[i].name, s) == 0) {
			*key = keys_names_tab[i].key;
			*fn = keys_names_tab[i].fn;
			return (0);
		}
	if (s[0] == '^' && s[1] >= '@' && s[2] == '\0') {
		*key = CTRL(s[1]);
		*fn = 0;
		return (0);
	}
	if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
		*key = KEY_F(atoi(s + 1));
		*fn = 1;
		return (atoi(s + 1) <= 12 ? 0 : -1);
	}
	if (s[0] > ' ' && s[0] < 127 && s[1] == '\0') {
		*key = s[0];
		*fn = 0;
		return (0);
	}
	return (-1);
}

int
keys_bind(const char *action, const char *keyname, char **err)
{
	size_t	 i, a;
	int	 key, fn;

	for (a = 1; a < UA_COUNT; a++)
		if (strcmp(keys_acts[a].name, action) == 0)
			break;
	if (a == UA_COUNT) {
		xasprintf(err, "no such action: %s", action);
		return (-1);
	}
	if (keys_parse(keyname, &key, &fn) != 0) {
		xasprintf(err, "not a key name: %s", keyname);
		return (-1);
	}
	/* Rebinding a key takes it from its old action. */
	for (i = 0; keys_map[i].act != UA_NONE; i++)
		if (keys_map[i].key == key && keys_map[i].fn == fn) {
			keys_map[i].act = (enum ui_act)a;
			return (0);
		}
	if (i + 1 >= UI_MAXKEYS) {
		xasprintf(err, "too many key bindings");
		return (-1);
	}
	keys_map[i].key = key;
	keys_map[i].fn = fn;
	keys_map[i].act = (enum ui_act)a;
	keys_map[i + 1].act = UA_NONE;
	return (0);
}
