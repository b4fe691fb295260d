// The wide-character ncurses API, plus the macros Swift cannot import, as inline functions.
#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define NCURSES_WIDECHAR 1
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <ncurses.h>
#include <term.h>
#include <stdio.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

static inline int cnc_lines(void) { return LINES; }
static inline int cnc_cols(void) { return COLS; }
static inline int cnc_colors(void) { return COLORS; }
static inline int cnc_color_pairs(void) { return COLOR_PAIRS; }
static inline WINDOW *cnc_stdscr(void) { return stdscr; }
static inline attr_t cnc_a_bold(void) { return A_BOLD; }
static inline attr_t cnc_a_dim(void) { return A_DIM; }
static inline attr_t cnc_a_reverse(void) { return A_REVERSE; }
static inline attr_t cnc_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cnc_a_italic(void) { return A_ITALIC; }
static inline int cnc_key_code_yes(void) { return KEY_CODE_YES; }

/// Draws one grapheme (up to a few code points: a base and its combining marks) at y, x.
static inline int cnc_put(int y, int x, const wchar_t *text, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, (short)(pair < 32768 ? pair : 0), &pair) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// 1 when terminfo knows `term`; unlike initscr, this never prints or exits.
static inline int cnc_term_known(const char *term, int fd) {
    int status = 0;
    TERMINAL *previous = cur_term;
    if (setupterm(term, fd, &status) != OK) return 0;
    del_curterm(cur_term);
    set_curterm(previous);
    return 1;
}


/// The mouse event's position and buttons, or -1 when none was read.
static inline int cnc_mouse(int *x, int *y, mmask_t *state) {
    MEVENT event;
    if (getmouse(&event) != OK) return -1;
    *x = event.x; *y = event.y; *state = event.bstate;
    return 0;
}
static inline mmask_t cnc_button1_pressed(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }
static inline mmask_t cnc_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t cnc_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline mmask_t cnc_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
#endif
