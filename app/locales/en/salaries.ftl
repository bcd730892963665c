# The salary explorer, /salaries.
salaries-title = Salaries
salaries-description = What backend developers earn, by role, country and experience — every figure with its source.
salaries-heading = What backend work pays
salaries-lead = Every figure comes from a named source. Medians, means and survey figures are labelled as such; compare like with like.
salaries-why-heading = Why figures from different sources differ
salaries-why-median = A median is the middle figure; a mean (average) is pulled up by a few high salaries. They are not interchangeable.
salaries-why-sources = The US Bureau of Labor Statistics reports wages of employees in the United States by occupation; the Stack Overflow survey reports the total compensation its respondents chose to give, worldwide, converted to US dollars at one day's exchange rate.
salaries-why-occupations = Occupations are defined differently: “software developers” in official statistics is not the same group as survey respondents who call themselves “back-end developers”.
salaries-why-small = Small samples (fewer than 100 answers) are flagged: one more answer can move them a lot.
salaries-why-quoted = Figures quoted in articles without their original source are shown as quoted, and labelled so.

# The filters
salaries-any = Any
salaries-role = Role
salaries-country = Country
salaries-experience = Experience
salaries-source = Source
salaries-show-for = Show figures for
salaries-compare-summary = Compare with a second selection
salaries-compare-with = Compare with
salaries-show = Show figures
salaries-reset = Reset

# The results
salaries-selection-a = Selection A
salaries-selection-b = Selection B
salaries-figures = Figures
salaries-count = { $n } { $count ->
        [one] figure
       *[other] figures
    }
salaries-none = No figures match this selection. The dataset has no figure for it; none is estimated.
salaries-chart-title = Annual salary figures
salaries-chart-desc = Bar chart of { $n } salary figures in US dollars, highest first. The table below lists the same figures with their sources.
salaries-chart-legend = Bars: blue = median, orange = mean (average). * = small sample (fewer than 100 answers).
salaries-table-caption = Every figure, with its source
salaries-col-amount = Amount
salaries-col-statistic = Statistic
salaries-col-year = Year
salaries-col-sample = Sample
salaries-sample = n = { $n }
salaries-sample-small = n = { $n } (small sample)
salaries-not-stated = not stated
salaries-stat-median = median
salaries-stat-mean = mean (average)
salaries-stat-percentile = { $n }th percentile
