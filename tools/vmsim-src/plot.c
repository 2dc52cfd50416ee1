/* tools/vmsim-src/plot.c: writes the chart of plot.h as plain SVG: axes with ticks, a
 * polyline and dots per policy, a legend. Same input, same bytes (docs/ keeps the output). */
#include <stdio.h>
#include "tools/vmsim-src/plot.h"

#define WIDTH 720
#define HEIGHT 440
#define LEFT 70                  /* the plotting area inside the margins */
#define RIGHT (WIDTH - 170)
#define TOP 50
#define BOTTOM (HEIGHT - 60)

static const char *const colours[] = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000",
};
#define NCOLOURS (sizeof colours / sizeof colours[0])

struct scale {
    double lo, hi;               /* data range */
    int from, to;                /* pixel range */
};

static double place(const struct scale *s, double v)
{
    return s->from + (v - s->lo) * (s->to - s->from) / (s->hi - s->lo);
}

/* A round tick spacing (1, 2 or 5 times a power of ten) giving at most 10 ticks. */
static double tick_step(double range)
{
    static const double mantissas[] = {1, 2, 5};
    for (double power = 1;; power *= 10)
        for (int m = 0; m < 3; m++)
            if (range / (mantissas[m] * power) <= 10)
                return mantissas[m] * power;
}

static void print_text(FILE *out, const char *s)           /* XML-escaped */
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else if (*s == '&')
            fputs("&amp;", out);
        else
            fputc(*s, out);
    }
}

static void draw_axes(FILE *out, const struct scale *x, const struct scale *y)
{
    fprintf(out, "<path d=\"M%d %d V%d H%d\" stroke=\"black\" fill=\"none\"/>\n",
            LEFT, TOP, BOTTOM, RIGHT);
    for (double v = x->lo, step = tick_step(x->hi - x->lo); v <= x->hi + 1e-9; v += step)
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
                place(x, v), BOTTOM + 18, v);
    for (double v = y->lo, step = tick_step(y->hi - y->lo); v <= y->hi + 1e-9; v += step)
        fprintf(out, "<path d=\"M%d %.1f H%d\" stroke=\"#ddd\"/>\n"
                     "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                LEFT, place(y, v), RIGHT, LEFT - 6, place(y, v) + 4, v);
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">frames</text>\n",
            (LEFT + RIGHT) / 2, BOTTOM + 42);
    fprintf(out, "<text transform=\"translate(18 %d) rotate(-90)\" text-anchor=\"middle\">"
                 "page faults</text>\n", (TOP + BOTTOM) / 2);
}

static void draw_line(FILE *out, const struct plot_line *l, int index, const uint32_t *frames,
                      uint32_t nframes, const struct scale *x, const struct scale *y)
{
    const char *colour = colours[index % NCOLOURS];
    fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colour);
    for (uint32_t k = 0; k < nframes; k++)
        fprintf(out, "%s%.1f,%.1f", k ? " " : "", place(x, frames[k]),
                place(y, (double)l->faults[k]));
    fprintf(out, "\"/>\n");
    for (uint32_t k = 0; k < nframes; k++)
        fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                place(x, frames[k]), place(y, (double)l->faults[k]), colour);
    int ly = TOP + 10 + 20 * index;                               /* its legend entry */
    fprintf(out, "<path d=\"M%d %d h24\" stroke=\"%s\" stroke-width=\"2\"/>\n"
                 "<text x=\"%d\" y=\"%d\">", RIGHT + 20, ly, colour, RIGHT + 50, ly + 4);
    print_text(out, l->name);
    fprintf(out, "</text>\n");
}

int plot_svg(const char *path, const char *title, const uint32_t *frames, uint32_t nframes,
             const struct plot_line *lines, uint32_t nlines)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return -1;
    struct scale x = { frames[0], frames[0], LEFT, RIGHT }, y = { 0, 1, BOTTOM, TOP };
    for (uint32_t k = 0; k < nframes; k++) {
        x.lo = frames[k] < x.lo ? frames[k] : x.lo;
        x.hi = frames[k] > x.hi ? frames[k] : x.hi;
        for (uint32_t l = 0; l < nlines; l++)
            y.hi = (double)lines[l].faults[k] > y.hi ? (double)lines[l].faults[k] : y.hi;
    }
    if (x.hi == x.lo)
        x.hi = x.lo + 1;
    double step = tick_step(y.hi);
    y.hi = step * (int)((y.hi + step - 1e-9) / step);         /* up to a whole tick */

    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                 "font-family=\"sans-serif\" font-size=\"13\">\n"
                 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", WIDTH, HEIGHT);
    fprintf(out, "<text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-size=\"15\">",
            (LEFT + RIGHT) / 2);
    print_text(out, title);
    fprintf(out, "</text>\n");
    draw_axes(out, &x, &y);
    for (uint32_t l = 0; l < nlines; l++)
        draw_line(out, &lines[l], (int)l, frames, nframes, &x, &y);
    fprintf(out, "</svg>\n");
    return fclose(out);
}
